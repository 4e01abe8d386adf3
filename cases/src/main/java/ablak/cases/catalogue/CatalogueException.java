package ablak.cases.catalogue;

import java.util.List;

/** The catalogue files are broken; {@link #problems()} lists each problem with its file and place. */
public final class CatalogueException extends RuntimeException {

    private final List<String> problems;

    public CatalogueException(List<String> problems) {
        super("the service catalogue is invalid:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
