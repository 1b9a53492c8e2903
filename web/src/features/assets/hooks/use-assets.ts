import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../../lib/api-client";
import type { Asset } from "../../../types/api";
import { listAssets } from "../api/assets";

/** The assets of one project; `add` merges a freshly uploaded asset without a refetch. */
export function useAssets(projectId: string) {
  const [assets, setAssets] = useState<Asset[]>([]);
  const [status, setStatus] = useState<"loading" | "ready" | "error">("loading");
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const list = await listAssets(projectId);
      setAssets(list);
      setStatus("ready");
      setError(null);
    } catch (err) {
      setStatus("error");
      setError(errorMessage(err));
    }
  }, [projectId]);

  useEffect(() => {
    setStatus("loading");
    void reload();
  }, [reload]);

  const add = useCallback((asset: Asset) => {
    setAssets((list) => [...list.filter((a) => a.id !== asset.id), asset]);
  }, []);

  const remove = useCallback((asset: Asset) => {
    setAssets((list) => list.filter((a) => a.id !== asset.id));
  }, []);

  return { assets, status, error, reload, add, remove };
}
