import { MixEditor } from "../features/mixes/components/mix-editor";
import { MixesPage } from "../features/mixes/components/mixes-page";
import type { FrameOf } from "../features/templates/components/frame-of";
import { renderFrame } from "../features/timeline/api/timelines";
import { navigate } from "../stores/route-store";

// The mixer previews variants with the timeline engine's frames and renders them as a batch (its own page).
const frameOf: FrameOf = renderFrame;

/** `#/mixes`. */
export function MixesRoute() {
  return <MixesPage onOpen={(id) => navigate({ name: "mix", id })} />;
}

/** `#/mixes/{id}` (or `#/mixes/new`); a new mix's first save moves to its own address without reloading. */
export function MixRoute({ id }: { id: string }) {
  return (
    <MixEditor
      id={id}
      frameOf={frameOf}
      onCreated={(created) => navigate({ name: "mix", id: created }, { replace: true })}
      onRendered={(batchId) => navigate({ name: "batch", id: batchId })}
      onBack={() => navigate({ name: "mixes" })}
    />
  );
}
