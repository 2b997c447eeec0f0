import { Form } from '@remix-run/react'
import { DangerZone } from '../danger-zone.tsx'
import { Alert } from '../ui/alert.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../ui/card.tsx'
import { SelectField } from '../ui/field.tsx'

// The caller's own membership: the owner transfers ownership (and becomes an admin); anyone
// else may leave.

export function TransferCard(props: { candidates: { userId: string; label: string }[]; error: string | undefined }) {
  return (
    <Card>
      <CardHeader title="Transfer ownership" description="The new owner gets full control, including deleting the team. You become an admin." />
      {props.candidates.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-500">Invite a teammate first: ownership goes to an existing member.</p>
        </CardBody>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="transfer" />
          <CardBody className="grid max-w-xl gap-4">
            {props.error ? <Alert>{props.error}</Alert> : null}
            <SelectField label="New owner" name="userId" required defaultValue="">
              <option value="" disabled>
                Choose a member
              </option>
              {props.candidates.map((c) => (
                <option key={c.userId} value={c.userId}>
                  {c.label}
                </option>
              ))}
            </SelectField>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" name="confirm" value="yes" required className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600" />
              I understand that I will no longer own this team.
            </label>
          </CardBody>
          <CardFooter>
            <Button type="submit" variant="danger">
              Transfer ownership
            </Button>
          </CardFooter>
        </Form>
      )}
    </Card>
  )
}

export function LeaveCard({ teamName, error }: { teamName: string; error: string | undefined }) {
  return (
    <DangerZone
      title="Leave this team"
      description={`You lose access to ${teamName} and your admin tokens for it are revoked. An admin can invite you again.`}
      buttonLabel="Leave team"
      intent="leave"
      error={error}
    />
  )
}
