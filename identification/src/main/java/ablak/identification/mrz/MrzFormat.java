package ablak.identification.mrz;

/** The machine readable zone layouts of ICAO Doc 9303 that identity documents here carry. */
public enum MrzFormat {
  /** Part 5: ID cards, three lines of 30 characters (the Hungarian identity card). */
  TD1(3, 30),
  /** Part 6: two lines of 36 characters (older ID cards and visas). */
  TD2(2, 36),
  /** Part 4: passports, two lines of 44 characters. */
  TD3(2, 44);

  public final int lines;
  public final int length;

  MrzFormat(int lines, int length) {
    this.lines = lines;
    this.length = length;
  }
}
