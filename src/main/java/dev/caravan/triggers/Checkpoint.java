package dev.caravan.triggers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The partial results file is the batch's checkpoint: every complete line in it is an input line
 * already answered, so a batch that was stopped resumes after them. A line cut short by a crash
 * is removed first; its request runs again.
 */
final class Checkpoint {

    private Checkpoint() {
    }

    /** How many complete lines the file holds, after cutting off an incomplete last one. */
    static long answeredLines(Path partial) throws IOException {
        if (!Files.exists(partial)) {
            return 0;
        }
        long lines = 0;
        long endOfLastLine = 0;
        long position = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(partial)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                        endOfLastLine = position + i + 1;
                    }
                }
                position += n;
            }
        }
        if (endOfLastLine < position) {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.truncate(endOfLastLine);
            }
        }
        return lines;
    }
}
