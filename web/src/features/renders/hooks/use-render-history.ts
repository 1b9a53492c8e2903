import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../../lib/api-client";
import type { Render } from "../../../types/api";
import { listRenders } from "../api/renders";

/** The project's renders, newest first. */
export function useRenderHistory(projectId: string) {
  const [renders, setRenders] = useState<Render[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const list = await listRenders(projectId);
      list.sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
      setRenders(list);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [projectId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { renders, error, reload };
}
