package ablak.queue.routing;

import ablak.queue.QueueError;
import ablak.queue.QueueException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue the engine routes by: known skills, known languages and the queues, as the server
 * loads them from its data file. Example (JSON):
 * <pre>
 * {"skills": ["moving", "id-card"], "languages": ["hu", "en"],
 *  "queues": [{"name": "moving", "skills": ["moving"], "minProficiency": 3,
 *              "steps": [{"after": "PT60S", "minProficiency": 2}, {"after": "PT5M", "overflowTo": "general"}],
 *              "wrapUp": "PT30S", "hours": {"zone": "Europe/Budapest", "weekly": {"MONDAY": "08:00-18:00"},
 *              "holidays": ["2026-12-25"]}}]}
 * </pre>
 */
public record QueueDefinitions(Set<String> skills, Set<String> languages, List<QueueDefinition> queues) {

  static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public QueueDefinitions {
    skills = Set.copyOf(skills);
    languages = Set.copyOf(languages);
    queues = List.copyOf(queues);
    Map<String, QueueDefinition> byName = new LinkedHashMap<>();
    queues.forEach(q -> byName.put(q.name(), q));
    for (QueueDefinition q : queues) {
      if (q.skills().isEmpty()) {
        throw new QueueException(QueueError.INVALID_INPUT, "queue " + q.name() + " requires no skill");
      }
      for (String s : q.skills()) {
        if (!skills.contains(s)) {
          throw new QueueException(QueueError.UNKNOWN_SKILL, s + " in queue " + q.name());
        }
      }
      for (QueueDefinition.RelaxationStep step : q.steps()) {
        if (step.overflowTo() != null && !byName.containsKey(step.overflowTo())) {
          throw new QueueException(QueueError.UNKNOWN_QUEUE, step.overflowTo() + " in queue " + q.name());
        }
      }
    }
  }

  public static QueueDefinitions fromJson(InputStream json) throws IOException {
    return JSON.readValue(json, QueueDefinitions.class);
  }

  public QueueDefinition queue(String name) {
    return queues.stream().filter(q -> q.name().equals(name)).findFirst()
        .orElseThrow(() -> new QueueException(QueueError.UNKNOWN_QUEUE, name));
  }

  /** The queues a clerk with these skills can serve: those whose every skill the clerk has. */
  public List<String> queuesFor(Set<String> clerkSkills) {
    return queues.stream().filter(q -> clerkSkills.containsAll(q.skills())).map(QueueDefinition::name).toList();
  }
}
