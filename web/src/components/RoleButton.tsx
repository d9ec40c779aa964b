import { useId, type ButtonHTMLAttributes } from 'react';
import { hasRole, useSession, type Role } from '../session.js';

/**
 * A button that needs a role. Without it the button stays focusable but inert (aria-disabled), so
 * keyboard and pointer users can still read why: the role it needs.
 */
export function RoleButton({ role, children, onClick, className, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { role: Role }) {
  const session = useSession();
  const hintId = useId();
  const allowed = hasRole(session, role);
  if (allowed) return <button className={className} onClick={onClick} {...rest}>{children}</button>;
  const why = `Needs the ${role} role; your token "${session.me.name}" has the ${session.me.role} role.`;
  return (
    <span className="role-gate">
      <button {...rest} className={`${className ?? ''} is-disabled`} aria-disabled="true" aria-describedby={hintId} title={why} type="button" onClick={(e) => e.preventDefault()}>
        {children}
      </button>
      <span id={hintId} role="tooltip" className="tooltip">{why}</span>
    </span>
  );
}
