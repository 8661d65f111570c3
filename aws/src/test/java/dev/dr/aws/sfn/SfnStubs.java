package dev.dr.aws.sfn;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.dr.json.JsonTrees;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Step Functions and STS on loopback (WireMock), in their wire formats: Step Functions is
 * JSON 1.0 ({@code X-Amz-Target: AWSStepFunctions.<Operation>}, content type
 * {@code application/x-amz-json-1.0}, times as epoch seconds), STS the query protocol
 * ({@code Action=GetCallerIdentity} in a form body) answering XML. Errors are JSON 1.0 errors:
 * HTTP 400 with {@code __type}.
 */
public final class SfnStubs implements AutoCloseable {
    public static final String JSON_1_0 = "application/x-amz-json-1.0";
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final WireMockServer server;

    private SfnStubs(WireMockServer server) {
        this.server = server;
    }

    public static SfnStubs start() {
        WireMockServer s = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        s.start();
        return new SfnStubs(s);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static MappingBuilder call(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSStepFunctions." + operation));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", JSON_1_0).withBody(body);
    }

    /** sts:GetCallerIdentity answers with {@code account}. */
    public void caller(String account) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                                + "<Arn>arn:aws:sts::" + account + ":assumed-role/dr-operator/alice</Arn>"
                                + "<UserId>AROAEXAMPLE:alice</UserId><Account>" + account + "</Account>"
                                + "</GetCallerIdentityResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata>"
                                + "</GetCallerIdentityResponse>")));
    }

    /** ListExecutions of {@code machineArn} answers with these items (see {@link #item}). */
    public void executions(String machineArn, ObjectNode... items) {
        ObjectNode body = F.objectNode();
        ArrayNode list = body.putArray("executions");
        for (ObjectNode i : items) {
            list.add(i);
        }
        server.stubFor(call("ListExecutions").withRequestBody(matchingJsonPath("$.stateMachineArn", equalTo(machineArn)))
                .willReturn(json(200, JsonTrees.compact(body))));
    }

    /** An ExecutionListItem; {@code stopped} may be null. */
    public static ObjectNode item(String machineArn, String name, String status, Instant started, Instant stopped) {
        ObjectNode o = F.objectNode();
        o.put("executionArn", StatesArn.stateMachine(machineArn).executionArn(name));
        o.put("stateMachineArn", machineArn);
        o.put("name", name);
        o.put("status", status);
        o.put("startDate", epoch(started));
        if (stopped != null) {
            o.put("stopDate", epoch(stopped));
        }
        return o;
    }

    /** DescribeExecution of {@code executionArn} answers with {@code status}. */
    public void describe(String executionArn, String status) {
        describe(executionArn, status, "{}");
    }

    /** DescribeExecution of {@code executionArn} answers with {@code status} and the execution's {@code input} (JSON text). */
    public void describe(String executionArn, String status, String input) {
        StatesArn a = StatesArn.execution(executionArn);
        ObjectNode o = F.objectNode();
        o.put("executionArn", executionArn);
        o.put("stateMachineArn", a.stateMachineArn());
        o.put("name", a.execution().orElseThrow());
        o.put("status", status);
        o.put("startDate", epoch(Instant.parse("2026-11-29T10:15:00Z")));
        o.put("input", input);
        server.stubFor(call("DescribeExecution").withRequestBody(matchingJsonPath("$.executionArn", equalTo(executionArn)))
                .willReturn(json(200, JsonTrees.compact(o))));
    }

    /** GetExecutionHistory of {@code executionArn} answers with the history, newest first, in pages of {@code pageSize}. */
    public void history(String executionArn, History h, int pageSize) {
        List<JsonNode> events = h.newestFirst();
        int pages = Math.max(1, (events.size() + pageSize - 1) / pageSize);
        for (int p = 0; p < pages; p++) {
            ObjectNode body = F.objectNode();
            ArrayNode list = body.putArray("events");
            events.subList(p * pageSize, Math.min(events.size(), (p + 1) * pageSize)).forEach(list::add);
            if (p + 1 < pages) {
                body.put("nextToken", "page-" + (p + 2));
            }
            MappingBuilder m = call("GetExecutionHistory").withRequestBody(matchingJsonPath("$.executionArn", equalTo(executionArn)));
            if (p == 0) {
                m = m.atPriority(5);
            } else {
                m = m.atPriority(1).withRequestBody(matchingJsonPath("$.nextToken", equalTo("page-" + (p + 1))));
            }
            server.stubFor(m.willReturn(json(200, JsonTrees.compact(body))));
        }
    }

    public void history(String executionArn, History h) {
        history(executionArn, h, 100);
    }

    /** StartExecution starts {@code executionArn} at {@code started}. */
    public void startExecution(String executionArn, Instant started) {
        ObjectNode body = F.objectNode();
        body.put("executionArn", executionArn);
        body.put("startDate", epoch(started));
        server.stubFor(call("StartExecution").willReturn(json(200, body.toString())));
    }

    /** SendTaskSuccess succeeds. */
    public void sendTaskSuccess() {
        server.stubFor(call("SendTaskSuccess").willReturn(json(200, "{}")));
    }

    /** {@code operation} fails with a JSON 1.0 error of {@code type} (e.g. TaskTimedOut). */
    public void fail(String operation, int status, String type, String message) {
        server.stubFor(call(operation).atPriority(1).willReturn(json(status,
                "{\"__type\":\"com.amazonaws.swf.service.v2.model#" + type + "\",\"message\":\"" + message + "\"}")));
    }

    /** Every request the server received, in order. */
    public List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlEqualTo("/")));
    }

    /** The bodies of the Step Functions calls of {@code operation}. */
    public List<String> bodies(String operation) {
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSStepFunctions." + operation)))) {
            out.add(r.getBodyAsString());
        }
        return out;
    }

    /** How many STS GetCallerIdentity calls the server received. */
    public int callerChecks() {
        return server.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity"))).size();
    }

    @Override
    public void close() {
        server.stop();
    }

    static BigDecimal epoch(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3);
    }

    /**
     * An execution history as Step Functions writes it: ids from 1, each event pointing at the
     * one before it unless told otherwise, a second apart.
     */
    public static final class History {
        private final List<ObjectNode> events = new ArrayList<>();
        private final Instant start;

        public History(Instant start) {
            this.start = start;
            add(0, "ExecutionStarted", "executionStartedEventDetails", details().put("input", "{}"));
        }

        public long last() {
            return events.size();
        }

        /** Adds an event pointing at {@code previous}; returns its id. */
        public long add(long previous, String type, String detailsField, ObjectNode details) {
            long id = events.size() + 1;
            ObjectNode e = F.objectNode();
            e.put("timestamp", epoch(start.plusSeconds(id)));
            e.put("type", type);
            e.put("id", id);
            e.put("previousEventId", previous);
            if (detailsField != null) {
                e.set(detailsField, details);
            }
            events.add(e);
            return id;
        }

        public static ObjectNode details() {
            return F.objectNode();
        }

        public long entered(long previous, String state) {
            return add(previous, "TaskStateEntered", "stateEnteredEventDetails", details().put("name", state).put("input", "{}"));
        }

        public long scheduled(long previous, String resourceType, String resource, String parameters) {
            return add(previous, "TaskScheduled", "taskScheduledEventDetails", details().put("resourceType", resourceType)
                    .put("resource", resource).put("region", "us-east-1").put("parameters", parameters));
        }

        public long task(long previous, String type, String resourceType, String resource) {
            String field = switch (type) {
                case "TaskStarted" -> "taskStartedEventDetails";
                case "TaskSubmitted" -> "taskSubmittedEventDetails";
                case "TaskSucceeded" -> "taskSucceededEventDetails";
                case "TaskFailed" -> "taskFailedEventDetails";
                case "TaskTimedOut" -> "taskTimedOutEventDetails";
                default -> throw new IllegalArgumentException(type);
            };
            ObjectNode d = details().put("resourceType", resourceType).put("resource", resource);
            if (type.equals("TaskSucceeded") || type.equals("TaskSubmitted")) {
                d.put("output", "{}");
            }
            if (type.equals("TaskTimedOut") || type.equals("TaskFailed")) {
                d.put("error", "States.Timeout");
            }
            return add(previous, type, field, d);
        }

        public long exited(long previous, String state) {
            return add(previous, "TaskStateExited", "stateExitedEventDetails", details().put("name", state).put("output", "{}"));
        }

        /** A task state that ran to success: entered, scheduled, started, succeeded, exited. */
        public long completedTask(String state, String parameters) {
            long e = entered(last(), state);
            long s = scheduled(e, "lambda", "invoke", parameters);
            long st = task(s, "TaskStarted", "lambda", "invoke");
            long ok = task(st, "TaskSucceeded", "lambda", "invoke");
            return exited(ok, state);
        }

        /** The gate, scheduled and submitted, then waiting: returns the TaskSubmitted id. */
        public long waitingGate(String state, String token) {
            long e = entered(last(), state);
            long s = scheduled(e, "sns", "publish.waitForTaskToken", gateParameters(token));
            long st = task(s, "TaskStarted", "sns", "publish.waitForTaskToken");
            return task(st, "TaskSubmitted", "sns", "publish.waitForTaskToken");
        }

        /** The parameters of the gate task, resolved: the token in the field TaskToken. */
        public static String gateParameters(String token) {
            return JsonTrees.compact(details().put("TopicArn", "arn:aws:sns:us-east-1:048622080012:dr-approvals")
                    .put("Message", "promote waits for approval").put("TaskToken", token));
        }

        public List<JsonNode> newestFirst() {
            List<JsonNode> out = new ArrayList<>(events);
            java.util.Collections.reverse(out);
            return out;
        }
    }
}
