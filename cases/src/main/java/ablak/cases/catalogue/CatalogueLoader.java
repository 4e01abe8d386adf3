package ablak.cases.catalogue;

import ablak.cases.form.FormDefinition;
import ablak.cases.form.FormElement;
import ablak.cases.form.FormSchemas;
import ablak.cases.form.FormTexts;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the catalogue's data files and checks them as a whole: every reference resolves, every
 * schema is valid JSON Schema, every UI control points at a field of its schema, and every word
 * exists in every language. A broken catalogue is refused with every problem listed, so the
 * server does not start with half a catalogue.
 *
 * <pre>
 * catalogue.json                       languages, documents, inputMasks, caseTypes, lifeEvents
 * texts/&lt;language&gt;.json               all words in one language
 * forms/&lt;caseType&gt;.v&lt;version&gt;.json    {"schema": JSON Schema 2020-12, "ui": UI schema}
 * </pre>
 */
public final class CatalogueLoader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the files come from: the bundled classpath copy or a directory a ministry maintains. */
    private interface Source {
        Optional<InputStream> open(String name) throws IOException;
    }

    private final Source source;
    private final List<String> problems = new ArrayList<>();

    private CatalogueLoader(Source source) {
        this.source = source;
    }

    /** The catalogue bundled with the module (classpath {@code catalogue/}). */
    public static Catalogue bundled() {
        ClassLoader loader = CatalogueLoader.class.getClassLoader();
        return new CatalogueLoader(name -> Optional.ofNullable(loader.getResourceAsStream("catalogue/" + name))).load();
    }

    public static Catalogue fromDirectory(Path directory) {
        return new CatalogueLoader(name -> {
            Path file = directory.resolve(name);
            return Files.isRegularFile(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
        }).load();
    }

    private Catalogue load() {
        JsonNode root = read("catalogue.json");
        if (root == null) {
            throw new CatalogueException(problems);
        }
        List<String> languages = strings(root, "languages", "catalogue.json");
        if (languages.isEmpty()) {
            problems.add("catalogue.json: /languages must name at least one language");
        }
        Set<String> documents = new HashSet<>(strings(root, "documents", "catalogue.json"));
        Map<String, String> masks = new LinkedHashMap<>();
        root.path("inputMasks").fields().forEachRemaining(e -> masks.put(e.getKey(), e.getValue().asText()));

        Map<String, JsonNode> textFiles = new LinkedHashMap<>();
        for (String language : languages) {
            JsonNode texts = read("texts/" + language + ".json");
            if (texts != null) {
                textFiles.put(language, texts);
            }
        }

        Map<String, CaseType> caseTypes = new LinkedHashMap<>();
        for (JsonNode node : root.path("caseTypes")) {
            CaseType type = caseType(node, documents, masks, textFiles);
            if (type != null && caseTypes.put(type.id(), type) != null) {
                problems.add("catalogue.json: case type '" + type.id() + "' is defined twice");
            }
        }
        for (CaseType type : caseTypes.values()) {
            type.requires().stream().filter(r -> !caseTypes.containsKey(r)).forEach(r ->
                    problems.add("catalogue.json: case type '" + type.id() + "' requires unknown case type '" + r + "'"));
        }

        Map<String, LifeEvent> lifeEvents = new LinkedHashMap<>();
        for (JsonNode node : root.path("lifeEvents")) {
            String id = node.path("id").asText("");
            String where = "catalogue.json: life event '" + id + "'";
            if (id.isEmpty()) {
                problems.add("catalogue.json: a life event has no id");
                continue;
            }
            List<String> types = strings(node, "caseTypes", where);
            if (types.isEmpty()) {
                problems.add(where + " groups no case types");
            }
            types.stream().filter(t -> !caseTypes.containsKey(t)).forEach(t ->
                    problems.add(where + " refers to unknown case type '" + t + "'"));
            if (lifeEvents.put(id, new LifeEvent(id, types)) != null) {
                problems.add(where + " is defined twice");
            }
        }

        Map<String, CatalogueTexts> texts = new LinkedHashMap<>();
        textFiles.forEach((language, node) ->
                texts.put(language, texts(language, node, lifeEvents.keySet(), caseTypes, documents)));

        if (!problems.isEmpty()) {
            throw new CatalogueException(problems);
        }
        return new Catalogue(languages, lifeEvents, List.copyOf(lifeEvents.keySet()), caseTypes, masks, texts);
    }

    private CaseType caseType(JsonNode node, Set<String> documents, Map<String, String> masks,
                              Map<String, JsonNode> textFiles) {
        String id = node.path("id").asText("");
        if (id.isEmpty()) {
            problems.add("catalogue.json: a case type has no id");
            return null;
        }
        String where = "catalogue.json: case type '" + id + "'";
        List<String> hasInput = strings(node, "hasInput", where);
        List<String> produces = strings(node, "produces", where);
        for (String document : concat(hasInput, produces)) {
            if (!documents.contains(document)) {
                problems.add(where + " refers to unknown document '" + document + "'");
            }
        }
        int minutes = node.path("typicalHandlingMinutes").asInt(0);
        if (minutes <= 0) {
            problems.add(where + ": typicalHandlingMinutes must be a positive number");
        }
        String backOffice = node.path("backOffice").asText("");
        if (backOffice.isEmpty()) {
            problems.add(where + ": backOffice (the destination that receives its cases) is missing");
        }
        List<String> skills = strings(node, "skills", where);
        if (skills.isEmpty()) {
            problems.add(where + ": skills must name at least one queue skill");
        }
        int current = node.path("form").path("current").asInt(0);
        List<Integer> versions = new ArrayList<>();
        node.path("form").path("versions").forEach(v -> versions.add(v.asInt()));
        if (!versions.contains(current)) {
            problems.add(where + ": form.current (" + current + ") is not among form.versions " + versions);
        }
        Map<Integer, FormDefinition> forms = new LinkedHashMap<>();
        for (int version : versions) {
            FormDefinition form = form(id, version, masks, textFiles);
            if (form != null) {
                forms.put(version, form);
            }
        }
        return new CaseType(id, node.path("identifier").asText(id), hasInput, produces,
                strings(node, "requires", where), strings(node, "hasChannel", where),
                node.path("videoIdentification").asBoolean(false), skills, strings(node, "languages", where),
                minutes, backOffice, current, forms);
    }

    private FormDefinition form(String caseType, int version, Map<String, String> masks, Map<String, JsonNode> textFiles) {
        String file = "forms/" + caseType + ".v" + version + ".json";
        JsonNode root = read(file);
        if (root == null) {
            return null;
        }
        JsonNode schema = root.path("schema");
        if (!schema.isObject()) {
            problems.add(file + ": /schema must be a JSON Schema object");
            return null;
        }
        for (ValidationMessage message : FormSchemas.checkAgainstMetaSchema(schema)) {
            problems.add(file + ": /schema is not valid JSON Schema 2020-12: " + message.getMessage());
        }
        List<FormElement> elements = new ArrayList<>();
        Set<String> groupIds = new HashSet<>();
        for (JsonNode group : root.path("ui").path("groups")) {
            String groupId = group.path("id").asText("");
            groupIds.add(groupId);
            for (JsonNode element : group.path("elements")) {
                String field = element.path("field").asText("");
                String at = file + ": ui control '" + field + "'";
                if (!fieldExists(schema, field)) {
                    problems.add(at + " is not a property of /schema");
                }
                String mask = element.hasNonNull("mask") ? element.get("mask").asText() : null;
                if (mask != null && !masks.containsKey(mask)) {
                    problems.add(at + " uses unknown input mask '" + mask + "'");
                }
                elements.add(new FormElement(groupId, field, mask, element.path("precall").asBoolean(false),
                        rule(element.path("rule"), schema, at)));
            }
        }
        if (elements.isEmpty()) {
            problems.add(file + ": /ui/groups has no controls");
        }
        Map<String, FormTexts> texts = new LinkedHashMap<>();
        textFiles.forEach((language, words) -> {
            FormTexts formTexts = formTexts(words.path("forms").path(caseType).path(String.valueOf(version)));
            String at = "texts/" + language + ".json: forms/" + caseType + "/" + version;
            groupIds.stream().filter(g -> !formTexts.groups().containsKey(g))
                    .forEach(g -> problems.add(at + ": no title for group '" + g + "'"));
            elements.stream().filter(e -> !formTexts.fields().containsKey(e.field()))
                    .forEach(e -> problems.add(at + ": no label for field '" + e.field() + "'"));
            texts.put(language, formTexts);
        });
        return new FormDefinition(caseType, version, schema, root.path("ui"), elements, texts, FormSchemas.compile(schema));
    }

    private FormElement.Rule rule(JsonNode rule, JsonNode schema, String at) {
        if (rule.isMissingNode()) {
            return null;
        }
        String effect = rule.path("effect").asText("");
        String field = rule.path("condition").path("field").asText("");
        JsonNode condition = rule.path("condition").path("schema");
        if (!effect.equals("SHOW") && !effect.equals("HIDE")) {
            problems.add(at + ": rule effect must be SHOW or HIDE, not '" + effect + "'");
            return null;
        }
        if (!fieldExists(schema, field)) {
            problems.add(at + ": rule condition field '" + field + "' is not a property of /schema");
        }
        if (!condition.isObject()) {
            problems.add(at + ": rule condition has no schema");
            return null;
        }
        return new FormElement.Rule(FormElement.Rule.Effect.valueOf(effect), field, FormSchemas.compile(condition));
    }

    private CatalogueTexts texts(String language, JsonNode node, Set<String> lifeEvents,
                                 Map<String, CaseType> caseTypes, Set<String> documents) {
        String file = "texts/" + language + ".json";
        return new CatalogueTexts(
                named(node.path("lifeEvents"), lifeEvents, file + ": life event"),
                named(node.path("caseTypes"), caseTypes.keySet(), file + ": case type"),
                named(node.path("documents"), documents, file + ": document"));
    }

    private Map<String, CatalogueTexts.Text> named(JsonNode node, Set<String> ids, String what) {
        Map<String, CatalogueTexts.Text> texts = new LinkedHashMap<>();
        for (String id : ids) {
            JsonNode entry = node.path(id);
            if (!entry.path("name").isTextual() || entry.path("name").asText().isBlank()) {
                problems.add(what + " '" + id + "' has no name");
                continue;
            }
            texts.put(id, new CatalogueTexts.Text(entry.get("name").asText(),
                    entry.hasNonNull("description") ? entry.get("description").asText() : null));
        }
        return texts;
    }

    private static FormTexts formTexts(JsonNode node) {
        Map<String, String> groups = new LinkedHashMap<>();
        node.path("groups").fields().forEachRemaining(e -> groups.put(e.getKey(), e.getValue().asText()));
        Map<String, FormTexts.FieldText> fields = new LinkedHashMap<>();
        node.path("fields").fields().forEachRemaining(e -> {
            JsonNode f = e.getValue();
            fields.put(e.getKey(), new FormTexts.FieldText(f.path("label").asText(e.getKey()),
                    f.hasNonNull("help") ? f.get("help").asText() : null,
                    stringMap(f.path("errors")), stringMap(f.path("options"))));
        });
        return new FormTexts(groups, fields);
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** Whether a JSON Pointer names a property reachable through nested {@code properties}. */
    private static boolean fieldExists(JsonNode schema, String pointer) {
        if (!pointer.startsWith("/") || pointer.length() < 2) {
            return false;
        }
        JsonNode at = schema;
        for (String step : pointer.substring(1).split("/")) {
            at = at.path("properties").path(step);
            if (at.isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    private List<String> strings(JsonNode node, String field, String where) {
        JsonNode array = node.path(field);
        if (array.isMissingNode()) {
            return List.of();
        }
        if (!array.isArray()) {
            problems.add(where + ": " + field + " must be an array of strings");
            return List.of();
        }
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private JsonNode read(String name) {
        try {
            Optional<InputStream> in = source.open(name);
            if (in.isEmpty()) {
                problems.add(name + ": file is missing");
                return null;
            }
            try (InputStream stream = in.get()) {
                return JSON.readTree(stream);
            }
        } catch (JsonProcessingException e) {
            problems.add(name + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue file " + name, e);
        }
    }
}
