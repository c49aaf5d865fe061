/**
 * Trapezoidal area under a curve given by points with non-decreasing x, up to
 * `xMax`. When xMax falls between two points, the curve is interpolated linearly
 * to exactly xMax (the MVTec AD evaluation's rule for PRO up to FPR 0.3).
 */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>, xMax = Infinity): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    const x0 = x[i - 1];
    const x1 = x[i];
    if (x0 >= xMax) break;
    if (x1 <= xMax) {
      area += (x1 - x0) * (y[i] + y[i - 1]) / 2;
      continue;
    }
    const yAtMax = y[i - 1] + (y[i] - y[i - 1]) * (xMax - x0) / (x1 - x0);
    area += (xMax - x0) * (yAtMax + y[i - 1]) / 2;
    break;
  }
  return area;
}
