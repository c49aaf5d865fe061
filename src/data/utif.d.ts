/** The parts of the untyped `utif` package (TIFF decoder) that images.ts uses. */
declare module 'utif' {
  export interface Ifd {
    width: number;
    height: number;
    /** The decoded samples, after decodeImage. */
    data: Uint8Array;
    [tag: string]: any;
  }
  export function decode(buffer: ArrayBuffer | Uint8Array): Ifd[];
  export function decodeImage(buffer: ArrayBuffer | Uint8Array, ifd: Ifd, ifds?: Ifd[]): void;
  export function toRGBA8(ifd: Ifd): Uint8Array;
  const UTIF: { decode: typeof decode; decodeImage: typeof decodeImage; toRGBA8: typeof toRGBA8 };
  export default UTIF;
}
