import { useEffect, useRef, useState } from "react";
import { formatDuration } from "../../../lib/format";
import type { FrameOf } from "../../templates/components/frame-of";
import type { MixPlan, PlannedVariant } from "../api/mixes";
import { createLimiter } from "../lib/limiter";

/** Frames are asked of the engine three at a time, page-wide. */
const frames = createLimiter(3);
const FRAME_WIDTH = 320;

/** The variant's first frame, asked for once the card is on screen (and through the limiter). */
function VariantFrame({ variant, frameOf }: { variant: PlannedVariant; frameOf: FrameOf }) {
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element || visible) return undefined;
    if (typeof IntersectionObserver === "undefined") {
      setVisible(true);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: "200px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return undefined;
    const controller = new AbortController();
    let made: string | null = null;
    setFailed(null);
    frames
      .run(() => frameOf(variant.document, 0, FRAME_WIDTH, controller.signal), controller.signal)
      .then((u) => {
        made = u;
        if (controller.signal.aborted) URL.revokeObjectURL(u);
        else setUrl(u);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setFailed(e instanceof Error ? e.message : String(e));
      });
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [visible, variant, frameOf]);

  return (
    <div className="variant-card__frame" ref={box} aria-busy={!url && !failed}>
      {url ? (
        <img src={url} alt={`First frame of variant ${variant.index + 1}`} data-testid="variant-frame" />
      ) : (
        <span className="muted">{failed ? `No preview: ${failed}` : ""}</span>
      )}
    </div>
  );
}

interface VariantGridProps {
  plan: MixPlan;
  groupNames: string[];
  frameOf: FrameOf;
  stale: boolean;
}

/** The planned variants: first frame, the clips in order (by label), duration and text. */
export function VariantGrid({ plan, groupNames, frameOf, stale }: VariantGridProps) {
  const hue = (group: string) => (Math.max(0, groupNames.indexOf(group)) * 67) % 360;
  return (
    <section className={`variant-grid-wrap ${stale ? "variant-grid-wrap--stale" : ""}`} aria-label="Planned variants" data-testid="variant-grid" data-count={plan.count} data-seed={plan.seed}>
      <p className="muted" data-testid="plan-summary" aria-live="polite">
        {plan.count} of {plan.combinations} distinct variant{plan.combinations === 1 ? "" : "s"} · seed {plan.seed}
        {stale ? " · the mix changed since: plan again to see it" : ""}
      </p>
      <ol className="variant-grid">
        {plan.variants.map((v) => (
          <li key={`${plan.seed}-${v.index}`} className="variant-card" data-testid="variant-card" data-sequence={v.clips.map((c) => c.src).join("+")}>
            <VariantFrame variant={v} frameOf={frameOf} />
            <div className="variant-card__body">
              <p className="variant-card__title">
                <span>#{v.index + 1}</span>
                <span className="muted">{formatDuration(v.duration)}</span>
              </p>
              <ol className="variant-card__clips" aria-label="Clips in order">
                {v.clips.map((c, i) => (
                  <li key={i} style={{ ["--hue" as string]: hue(c.group) }} title={`${c.group}: ${c.label} (${c.length} s)`}>
                    {c.label}
                  </li>
                ))}
              </ol>
              {v.text && <p className="variant-card__text" title={v.text} data-testid="variant-text">“{v.text}”</p>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
