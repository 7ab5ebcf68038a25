package io.gamewire.stack;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gamewire.config.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderRoomTest {

    @TempDir
    Path folder;

    @Test
    void aDiskWithRoomPassesAndTheFolderIsMade() {
        Path data = folder.resolve("data");
        assertThatCode(() -> DataFolderRoom.require(data, 1)).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(Files.isDirectory(data)).isTrue();
    }

    @Test
    void aDiskWithTooLittleRoomIsRefusedNamingTheFolderItsRoomAndTheSetting() throws Exception {
        long freeMb = Files.getFileStore(folder).getUsableSpace() / (1024 * 1024);
        long asked = freeMb * 2 + 1;
        assertThatThrownBy(() -> DataFolderRoom.require(folder, asked)).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("the data folder " + folder + " (gamewire.data-dir) has ")
                .hasMessageContaining(" MB free on its disk, less than the " + asked + " MB its stores need to start"
                        + " (gamewire.data-dir.min-free-mb)");
    }

    @Test
    void zeroChecksNothing() {
        assertThatCode(() -> DataFolderRoom.require(folder.resolve("file-not-folder"), 0)).doesNotThrowAnyException();
    }

    @Test
    void aFolderThatCannotBeMadeIsNamed() throws Exception {
        Path file = Files.writeString(folder.resolve("taken"), "a file where the folder should be");
        assertThatThrownBy(() -> DataFolderRoom.require(file.resolve("data"), 1)).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("the data folder " + file.resolve("data") + " (gamewire.data-dir) cannot be used: ");
    }
}
