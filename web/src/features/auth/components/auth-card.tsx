import type { FormEvent, ReactNode } from "react";
import { LogoIcon } from "../../../components/icons";

interface AuthCardProps {
  title: string;
  testId: string;
  /** A line under the title (who is being invited, what setup does). */
  lead?: ReactNode;
  onSubmit?: (event: FormEvent) => void;
  children: ReactNode;
}

/** The centred card shared by sign-in, first-run setup and invite acceptance. */
export function AuthCard({ title, testId, lead, onSubmit, children }: AuthCardProps) {
  const titleId = `${testId}-title`;
  return (
    <div className="sign-in">
      <form className="sign-in__card" data-testid={testId} onSubmit={onSubmit ?? ((e) => e.preventDefault())} aria-labelledby={titleId} noValidate>
        <div className="sign-in__brand"><LogoIcon /><span>Cutroom</span></div>
        <h1 id={titleId} className="sign-in__title">{title}</h1>
        {lead && <div className="sign-in__lead">{lead}</div>}
        {children}
      </form>
    </div>
  );
}
