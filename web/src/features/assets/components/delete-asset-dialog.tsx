import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { notify } from "../../../stores/notifications-store";
import type { Asset, ApiErrorDetail } from "../../../types/api";
import { deleteAsset } from "../api/assets";

interface DeleteAssetDialogProps {
  asset: Asset;
  onDeleted: (asset: Asset) => void;
  onClose: () => void;
}

/** Clips that use an asset, as the 409 lists them (one detail per use). */
function usesOf(error: unknown): ApiErrorDetail[] | null {
  return error instanceof ApiError && error.code === "ASSET_IN_USE" ? error.details : null;
}

/**
 * Asks before deleting an asset; when the server answers that clips use it (409), asks again
 * naming them ("in use by N clips") and deletes with force only if the user insists.
 */
export function DeleteAssetDialog({ asset, onDeleted, onClose }: DeleteAssetDialogProps) {
  const [uses, setUses] = useState<ApiErrorDetail[] | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove(force: boolean) {
    if (busy) return;
    setBusy(true);
    try {
      await deleteAsset(asset.id, force);
      onDeleted(asset);
      notify(`Deleted ${asset.name}`, "success");
      onClose();
    } catch (error) {
      const inUse = usesOf(error);
      if (inUse && !force) setUses(inUse);
      else {
        notify(`Could not delete ${asset.name}: ${errorMessage(error)}`, "error");
        onClose();
      }
    } finally {
      setBusy(false);
    }
  }

  if (!uses) {
    return (
      <ConfirmDialog title={`Delete “${asset.name}”?`} body="The file is removed from the project's media." confirmLabel="Delete" onCancel={onClose} onConfirm={() => void remove(false)} />
    );
  }
  const clips = new Set(uses.map((u) => `${u.timelineId}/${u.clipId}`)).size;
  return (
    <ConfirmDialog
      key="in-use"
      title={`“${asset.name}” is in use by ${clips === 1 ? "1 clip" : `${clips} clips`}`}
      body={
        <>
          <ul className="dialog__list" data-testid="asset-uses">
            {uses.slice(0, 8).map((u) => (
              <li key={`${u.timelineId}${u.path}`}>{u.message}</li>
            ))}
            {uses.length > 8 && <li>…and {uses.length - 8} more</li>}
          </ul>
          <p>Deleted anyway, those clips show as missing (red) until you relink them.</p>
        </>
      }
      confirmLabel="Delete anyway"
      onCancel={onClose}
      onConfirm={() => void remove(true)}
    />
  );
}
