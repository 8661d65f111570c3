package dev.dr.steps.bundle;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A ConfigMap as {@link ConfigMapRenderer} renders it, independent of any Kubernetes client.
 * The maps are sorted copies and cannot be changed.
 *
 * @param binaryData values base64-encoded, as the API carries them
 */
public record RenderedConfigMap(String name, String namespace, SortedMap<String, String> labels,
        SortedMap<String, String> annotations, SortedMap<String, String> data, SortedMap<String, String> binaryData) {
    public RenderedConfigMap {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
        data = Collections.unmodifiableSortedMap(new TreeMap<>(data));
        binaryData = Collections.unmodifiableSortedMap(new TreeMap<>(binaryData));
    }
}
