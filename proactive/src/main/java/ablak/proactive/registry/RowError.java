package ablak.proactive.registry;

/**
 * Why one row of an import was not taken.
 *
 * @param row 1-based data row (the CSV header and the JSON array's bracket are not rows)
 * @param field the column at fault, or {@code "row"} when the row as a whole is
 */
public record RowError(int row, String field, String message) {}
