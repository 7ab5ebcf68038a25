package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which store the embedded broker opens in a data dir, and when it refuses to start. */
class EmbeddedStoreTest {

    @TempDir
    Path brokerDir;

    @Test
    void aNewDataDirGetsBdb() {
        assertThat(EmbeddedStore.choose("auto", brokerDir)).isEqualTo(EmbeddedStore.BDB);
        assertThat(EmbeddedStore.BDB.path(brokerDir)).isEqualTo(brokerDir.resolve("bdb"));
    }

    @Test
    void aDataDirWithADerbyStoreStaysOnDerby() throws Exception {
        derbyStore();
        assertThat(EmbeddedStore.choose("auto", brokerDir)).isEqualTo(EmbeddedStore.DERBY);
        assertThat(EmbeddedStore.choose("DERBY", brokerDir)).isEqualTo(EmbeddedStore.DERBY);
        assertThat(EmbeddedStore.DERBY.path(brokerDir)).as("the folder Derby had before BDB")
                .isEqualTo(brokerDir.resolve("default"));
    }

    @Test
    void namingTheOtherStoreIsAnErrorThatNamesTheFolder() throws Exception {
        derbyStore();
        assertThatThrownBy(() -> EmbeddedStore.choose("bdb", brokerDir)).isInstanceOf(StartupException.class)
                .hasMessageContaining(brokerDir.resolve("default").toString())
                .hasMessageContaining("gamewire.broker.embedded.store=derby");
    }

    @Test
    void bothStoresAreAnErrorWhateverTheSetting() throws Exception {
        derbyStore();
        Files.createDirectories(brokerDir.resolve("bdb"));
        Files.writeString(brokerDir.resolve("bdb/00000000.jdb"), "");
        assertThatThrownBy(() -> EmbeddedStore.choose("auto", brokerDir)).isInstanceOf(StartupException.class)
                .hasMessageContaining("both");
        assertThatThrownBy(() -> EmbeddedStore.choose("bdb", brokerDir)).isInstanceOf(StartupException.class)
                .hasMessageContaining(brokerDir.resolve("default").toString());
        assertThatThrownBy(() -> EmbeddedStore.choose("derby", brokerDir)).isInstanceOf(StartupException.class)
                .hasMessageContaining(brokerDir.resolve("bdb").toString());
    }

    @Test
    void anEmptyFolderHoldsNoStore() throws Exception {
        Files.createDirectories(brokerDir.resolve("default"));
        assertThat(EmbeddedStore.choose("auto", brokerDir)).isEqualTo(EmbeddedStore.BDB);
        assertThat(EmbeddedStore.choose("bdb", brokerDir)).isEqualTo(EmbeddedStore.BDB);
    }

    @Test
    void anUnknownStoreIsAnError() {
        assertThatThrownBy(() -> EmbeddedStore.choose("mongo", brokerDir)).isInstanceOf(StartupException.class)
                .hasMessageContaining("auto, bdb or derby");
    }

    private void derbyStore() throws Exception {
        Files.createDirectories(brokerDir.resolve("default"));
        Files.writeString(brokerDir.resolve("default/service.properties"), "");
    }
}
