interface StatusBadgeProps {
  status: string;
}

/** A coloured pill for render states. */
export function StatusBadge({ status }: StatusBadgeProps) {
  return <span className={`badge badge--${status}`}>{status}</span>;
}
