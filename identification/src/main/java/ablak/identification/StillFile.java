package ablak.identification;

import java.nio.file.Path;

/** A still's file for an authorised, audited viewer. */
public record StillFile(Path path, String contentType, String sha256) {}
