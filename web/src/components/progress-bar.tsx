interface ProgressBarProps {
  /** 0..1; values outside are clamped. */
  value: number;
  label: string;
  tone?: "accent" | "success" | "error" | "muted";
  size?: "small" | "large";
  testId?: string;
}

/** An accessible progress bar (role=progressbar with an integer aria-valuenow 0..100). */
export function ProgressBar({ value, label, tone = "accent", size = "small", testId }: ProgressBarProps) {
  const percent = Math.max(0, Math.min(100, Math.round((Number.isFinite(value) ? value : 0) * 100)));
  return (
    <div
      className={`progress progress--${tone} progress--${size}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
    >
      <div className="progress__fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
