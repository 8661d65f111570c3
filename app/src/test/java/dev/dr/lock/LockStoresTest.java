package dev.dr.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which store dr uses: DynamoDB when DR_LOCK_TABLE is set, the lock files otherwise. */
class LockStoresTest {

    @TempDir
    Path dir;

    @Test
    void withoutATableLocksAreFiles() throws Exception {
        LockStore s = LockStores.select(Map.of("DR_LOCK_DIR", dir.toString()), "us-east-1", Clock.systemUTC());
        assertThat(s).isInstanceOf(FileLockStore.class);
        assertThat(s.location()).isEqualTo("the file store in " + dir);
        assertThat(LockStores.select(Map.of("DR_LOCK_DIR", dir.toString(), "DR_LOCK_TABLE", " "), "us-east-1",
                Clock.systemUTC())).as("a blank table is no table").isInstanceOf(FileLockStore.class);
    }

    @Test
    void aTableSelectsDynamoDbInTheTargetsRegion() throws Exception {
        LockStore s = LockStores.select(Map.of("DR_LOCK_TABLE", "dr-locks", "DR_LOCK_DIR", dir.toString()), "eu-west-1",
                Clock.systemUTC());
        assertThat(s).isInstanceOf(DynamoDbLockStore.class);
        assertThat(s.location()).isEqualTo("DynamoDB table dr-locks in eu-west-1");
        ((DynamoDbLockStore) s).close();
        LockStore standIn = LockStores.select(Map.of("DR_LOCK_TABLE", "dr-locks",
                "DR_LOCK_ENDPOINT_URL", "http://127.0.0.1:4567"), "eu-west-1", Clock.systemUTC());
        assertThat(standIn.location()).isEqualTo("DynamoDB table dr-locks in eu-west-1 at http://127.0.0.1:4567");
        ((DynamoDbLockStore) standIn).close();
    }

    @Test
    void aBadTableOrEndpointIsRefused() {
        assertThatThrownBy(() -> LockStores.select(Map.of("DR_LOCK_TABLE", "dr locks"), "us-east-1", Clock.systemUTC()))
                .isInstanceOf(LockStoreUnavailableException.class)
                .hasMessage("DR_LOCK_TABLE: 'dr locks' is not a DynamoDB table name (3 to 255 of a-z, A-Z, 0-9, '_', '-',"
                        + " '.'); no drill runs without its lock");
        assertThatThrownBy(() -> LockStores.select(Map.of("DR_LOCK_TABLE", "dr-locks", "DR_LOCK_ENDPOINT_URL", "localhost"),
                "us-east-1", Clock.systemUTC()))
                .isInstanceOf(LockStoreUnavailableException.class)
                .hasMessage("DR_LOCK_ENDPOINT_URL 'localhost' is not a URL such as http://127.0.0.1:4567;"
                        + " no drill runs without its lock");
    }
}
