/** Where the pointer is on an SVG drawn in a viewBox of `width` × `height` units, in those units. */
export function svgPointer(e: { clientX: number; clientY: number; currentTarget: Element }, width: number, height: number): { x: number; y: number } {
  const box = e.currentTarget.getBoundingClientRect();
  return { x: ((e.clientX - box.left) / box.width) * width, y: ((e.clientY - box.top) / box.height) * height };
}
