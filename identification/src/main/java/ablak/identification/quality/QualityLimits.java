package ablak.identification.quality;

/**
 * The minimums a step and a still must meet.
 *
 * @param minSharpness lowest variance of the Laplacian of a still's luminance: below it the still is too blurred
 * @param maxGlare     highest share (0-1) of saturated pixels: above it glare hides the document
 */
public record QualityLimits(int minWidth, int minHeight, double minFps, double minSharpness, double maxGlare) {}
