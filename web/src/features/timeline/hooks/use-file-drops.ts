import { useCallback, useEffect, useRef, useState } from "react";
import type { Asset } from "../../../types/api";
import { refuse } from "../engine/asset-clips";
import type { EditorEngine } from "../engine/editor-engine";
import { placeDroppedAsset } from "../engine/file-drops";
import type { PlaceTarget } from "../engine/placing";

/**
 * What the timeline needs from the upload pipeline (the assets feature's useUploads, handed in
 * by the workspace: features do not import each other).
 */
export interface FileUploader {
  upload: (files: File[]) => { id: number; fileName: string; done: Promise<{ asset: Asset } | { error: string }> }[];
  uploads: readonly { id: number; loaded: number; size: number; status: string }[];
}

/** A file dropped on the timeline that is still uploading or being probed, drawn at its drop spot. */
export interface PendingDrop {
  uploadId: number;
  fileName: string;
  trackId: string | null;
  start: number;
  /** Its place among the files of one drop (placeholders sit side by side). */
  index: number;
  /** 0…1 of the bytes sent; "processing" once the server probes it. */
  fraction: number;
  status: string;
}

/**
 * Files dropped from the computer onto a track: each is uploaded through the shared pipeline
 * and, once probed, placed where it was dropped (one after another, in drop order, like a
 * library drop). A refused file places nothing; the notice says why.
 */
export function useFileDrops(engine: EditorEngine, uploader: FileUploader) {
  const [pending, setPending] = useState<Omit<PendingDrop, "fraction" | "status">[]>([]);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const { upload } = uploader;
  const dropFiles = useCallback(
    (files: File[], target: PlaceTarget) => {
      const tickets = upload(files);
      setPending((list) => [...list, ...tickets.map((t, index) => ({ uploadId: t.id, fileName: t.fileName, trackId: target.trackId, start: target.start, index }))]);
      void (async () => {
        let cursor = target;
        const refused: string[] = [];
        for (const ticket of tickets) {
          const outcome = await ticket.done;
          if (!alive.current) return;
          setPending((list) => list.filter((p) => p.uploadId !== ticket.id));
          if ("error" in outcome) refused.push(outcome.error);
          else cursor = placeDroppedAsset(engine, outcome.asset, cursor);
        }
        // Said once the drop is done: a later file's placement would otherwise replace the notice.
        if (refused.length) refuse(engine, `Not placed: ${refused.join("; ")}`);
      })();
    },
    [engine, upload],
  );

  const shown: PendingDrop[] = pending.map((p) => {
    const u = uploader.uploads.find((x) => x.id === p.uploadId);
    return { ...p, fraction: u && u.size > 0 ? Math.min(1, u.loaded / u.size) : 0, status: u?.status ?? "processing" };
  });
  return { pending: shown, dropFiles };
}
