/**
 * Connected regions of a binary mask with 8-connectivity (pixels touching by an
 * edge or a corner belong to the same region), as `scipy.ndimage.label` with a
 * 3×3 structure of ones. Each ground-truth defect is one region for PRO.
 */

export interface Regions {
  /** Region of each pixel, row-major: 0 = background, 1..count = a region. */
  readonly labels: Int32Array;
  /** Number of regions. */
  readonly count: number;
  /** Pixel count of each region; sizes[0] is unused (0). */
  readonly sizes: Int32Array;
}

/** Label the regions of `mask` (any non-zero value is foreground), `(H, W)` row-major. */
export function connectedComponents(mask: ArrayLike<number>, height: number, width: number): Regions {
  const labels = new Int32Array(height * width);
  const stack = new Int32Array(height * width);
  const sizes: number[] = [0];
  let count = 0;
  for (let start = 0; start < labels.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    // Depth-first flood fill with an explicit stack: no recursion limit on large defects.
    while (top > 0) {
      const pixel = stack[--top];
      size++;
      const y = Math.floor(pixel / width);
      const x = pixel - y * width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const neighbour = ny * width + nx;
          if (mask[neighbour] !== 0 && labels[neighbour] === 0) {
            labels[neighbour] = count;
            stack[top++] = neighbour;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, count, sizes: Int32Array.from(sizes) };
}
