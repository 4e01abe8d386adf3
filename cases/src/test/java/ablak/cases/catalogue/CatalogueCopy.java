package ablak.cases.catalogue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A writable copy of the bundled catalogue in a temporary directory, for tests that edit it. */
public final class CatalogueCopy {

    private static final ObjectMapper JSON = new ObjectMapper();
    public final Path directory;

    public CatalogueCopy() {
        try {
            Path bundled = Path.of(CatalogueCopy.class.getClassLoader().getResource("catalogue/catalogue.json").toURI()).getParent();
            directory = Files.createTempDirectory("ablak-catalogue");
            try (var files = Files.walk(bundled)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = directory.resolve(bundled.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Edits one JSON file of the copy. */
    public CatalogueCopy edit(String file, Consumer<ObjectNode> change) {
        try {
            Path path = directory.resolve(file);
            ObjectNode root = (ObjectNode) JSON.readTree(path.toFile());
            change.accept(root);
            JSON.writerWithDefaultPrettyPrinter().writeValue(path.toFile(), root);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CatalogueCopy write(String file, String content) {
        try {
            Files.writeString(directory.resolve(file), content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case type entry with {@code id} in catalogue.json. */
    public static ObjectNode caseType(ObjectNode catalogue, String id) {
        for (var node : catalogue.withArray("caseTypes")) {
            if (node.path("id").asText().equals(id)) {
                return (ObjectNode) node;
            }
        }
        throw new IllegalArgumentException(id);
    }
}
