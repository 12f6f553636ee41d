// Image editors and libraries write a screen or print density (72 or 96 dots per inch...) into files whose pixels
// have no physical size at all. Such a density says nothing of the sample, so a reader does not take it for a
// pixel size. A microscope's pixel (0.05-10 µm) is millions of dots per inch, far from these.

/** Dots per inch that editors write by default. */
const printDensities = [72, 96, 150, 200, 300, 600, 1200];

/** Is `dotsPerCentimetre` one of the usual print densities (to the rounding of dots per metre or per cm)? */
export function isPrintDensity(dotsPerCentimetre: number): boolean {
  const dotsPerInch = dotsPerCentimetre * 2.54;
  return printDensities.some((dpi) => Math.abs(dotsPerInch - dpi) < 0.5);
}
