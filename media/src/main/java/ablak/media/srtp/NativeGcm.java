package ablak.media.srtp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * OpenSSL's AES-GCM with one JNI call per packet (src/main/c/ablak_gcm.c, built by the media module's build
 * where a C compiler and OpenSSL's headers are present). Where the library is not in the build, or does not
 * load, {@link AesGcm} uses a JCE cipher instead; {@link #LOADED} says which.
 */
final class NativeGcm {
    private static final Logger LOG = LoggerFactory.getLogger(NativeGcm.class);
    private static final String LIBRARY = "/native/linux-" + System.getProperty("os.arch") + "/libablakgcm.so";

    static final boolean LOADED = load();

    private NativeGcm() {
    }

    /** A context with {@code key}'s schedule (16 or 32 bytes), or 0 if OpenSSL refuses it. */
    static native long create(byte[] key);

    static native void free(long context);

    /** See ablak_gcm.c: encrypts in place and appends the tag; the new length, or -1. */
    static native int seal(long context, byte[] b, int off, int header, int len, byte[] iv);

    /** See ablak_gcm.c: checks the tag and decrypts in place; the length without the tag, or -1. */
    static native int open(long context, byte[] b, int off, int header, int len, byte[] iv);

    private static boolean load() {
        URL url = NativeGcm.class.getResource(LIBRARY);
        if (url == null) {
            LOG.info("SRTP AES-GCM through the JCE: {} is not in this build", LIBRARY);
            return false;
        }
        try {
            if (url.getProtocol().equals("file")) {
                System.load(Path.of(url.toURI()).toString());
            } else {
                // Inside a jar: the dynamic loader needs a file. Once loaded, the file is no longer needed.
                Path copy = Files.createTempFile("ablakgcm", ".so");
                try (InputStream in = url.openStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    System.load(copy.toString());
                } finally {
                    Files.deleteIfExists(copy);
                }
            }
            LOG.info("SRTP AES-GCM through OpenSSL, one native call per packet ({})", LIBRARY);
            return true;
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError e) {
            LOG.warn("SRTP AES-GCM through the JCE: {} does not load: {}", LIBRARY, e.toString());
            return false;
        }
    }
}
