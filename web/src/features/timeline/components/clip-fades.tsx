import type { Clip } from "../../../types/timeline";

/** A clip's fade-in and fade-out drawn as shaded ramps at its ends (their width is the fade's length). */
export function ClipFades({ clip, zoom }: { clip: Clip; zoom: number }) {
  const fadeIn = clip.fadeIn ?? 0;
  const fadeOut = clip.fadeOut ?? 0;
  return (
    <>
      {fadeIn > 0 && <span className="tl-clip__fade tl-clip__fade--in" style={{ width: fadeIn * zoom }} data-testid="clip-fade-in" title={`Fade in ${fadeIn} s`} aria-hidden="true" />}
      {fadeOut > 0 && <span className="tl-clip__fade tl-clip__fade--out" style={{ width: fadeOut * zoom }} data-testid="clip-fade-out" title={`Fade out ${fadeOut} s`} aria-hidden="true" />}
    </>
  );
}
