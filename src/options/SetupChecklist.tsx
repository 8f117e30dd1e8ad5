import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';
import { sendToBackground } from '../shared/messaging';
import type { SetupStep } from '../shared/setup-checklist';
import { useAsync } from '../ui/use-async';
import { secretFieldId, secretWords } from './secret-names';
import { requestHostAccess } from './view';

/**
 * What is left to set up on this computer, after the configuration is in: each partner's secrets, access to
 * the sites and partners, and what a partner must enrol. The same steps drive the diagnostics and the badge.
 */
export function SetupChecklist({ round, imported, onChanged }: { round: number; imported: boolean; onChanged: () => void }) {
  const state = useAsync(async () => ((await sendToBackground('setup.get', {})) as { steps: SetupStep[] }).steps, round);
  const steps = state.value;
  if (state.error) return <p class="error" role="alert">{state.error}</p>;
  if (!steps) return <p role="status">{t('setupLoading')}</p>;
  const done = steps.filter((step) => step.done).length;
  const complete = done === steps.length;
  return (
    <section aria-labelledby="checklist-heading" class={complete ? '' : 'attention'} data-testid="setup-checklist">
      <h2 id="checklist-heading">{t('setupChecklistTitle')}</h2>
      <div role="status" aria-live="polite">
        {imported && <p class="ok">{t('setupImported')}</p>}
        <p data-testid="setup-progress">{complete ? t('setupComplete') : t('setupProgress', String(done), String(steps.length))}</p>
      </div>
      {!complete && (
        <ol class="checklist">
          {steps.map((step) => (
            <li key={stepKey(step)} class={step.done ? 'done' : 'todo'} data-testid={`step-${stepKey(step)}`} data-done={String(step.done)}>
              <span class={step.done ? 'ok' : 'muted'}>{step.done ? `✓ ${t('setupStepDone')}` : `○ ${t('setupStepToDo')}`}</span> <StepText step={step} />{' '}
              {!step.done && <StepAction step={step} onChanged={onChanged} />}
              {step.done && step.kind === 'enrol' && (
                <button type="button" class="secondary link" onClick={() => void acknowledge(step.acknowledgement, false).then(onChanged)}>
                  {t('setupUnmarkSent')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const ENROL_TEXT: Record<Extract<SetupStep, { kind: 'enrol' }>['what'], MessageKey> = {
  'partner-values': 'setupStepEnrol',
  'public-key': 'setupStepEnrolKey',
  'installation-id': 'setupStepEnrolBroker',
};

function acknowledge(acknowledgement: string, sent: boolean) {
  return sendToBackground('setup.acknowledge', { acknowledgement, sent });
}

function stepKey(step: SetupStep): string {
  switch (step.kind) {
    case 'secret':
      return `secret-${step.partnerId}-${step.name}`;
    case 'enrol':
      return `enrol-${step.target}`;
    default:
      return step.kind;
  }
}

export function StepText({ step }: { step: SetupStep }) {
  switch (step.kind) {
    case 'ehr-sites':
      return <>{t('setupStepEhrSites')}</>;
    case 'partners':
      return <>{t('setupStepPartners')}</>;
    case 'secret':
      return <>{step.byPolicy ? t('setupStepSecretByPolicy', step.partnerLabel, secretWords(step.name)) : t('setupStepSecret', step.partnerLabel, secretWords(step.name))}</>;
    case 'host-access':
      return (
        <>
          {t('setupStepHostAccess')}
          {!step.done && <span class="muted"> {t('setupHostAccessMissing', step.patterns.join(', '))}</span>}
        </>
      );
    case 'enrol':
      return <>{t(ENROL_TEXT[step.what], step.label)}</>;
  }
}

function StepAction({ step, onChanged }: { step: SetupStep; onChanged: () => void }) {
  switch (step.kind) {
    case 'secret':
      return <a href={`#${secretFieldId(step.partnerId, step.name)}`}>{t('setupEnterSecret')}</a>;
    case 'host-access':
      // Asked for in the click itself: the browser only shows its prompt for a user gesture.
      return (
        <button type="button" onClick={() => void requestHostAccess(step.patterns).then(onChanged)}>
          {t('setupGrantAccess')}
        </button>
      );
    case 'enrol':
      return (
        <>
          <a href={step.what === 'installation-id' ? '#broker-heading' : '#keys-heading'}>{t('setupSeeEnrolment')}</a>{' '}
          <button type="button" class="secondary" onClick={() => void acknowledge(step.acknowledgement, true).then(onChanged)}>
            {t('setupMarkSent')}
          </button>
        </>
      );
    default:
      return <a href="#config-heading">{t('setupImport')}</a>;
  }
}
