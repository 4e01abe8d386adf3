package ablak.queue.routing;

import java.util.Map;
import java.util.Set;

/** A clerk as routing sees it: skills with proficiency 1 (novice) to 5 (expert), languages, and how many contacts at once. */
public record ClerkProfile(String clerkId, Map<String, Integer> skills, Set<String> languages, int capacity) {}
