import type { DemoPatient } from './fixtures';
import { pick, seededRandom } from './seeded-random';

/**
 * A fake but plausible clinical record, generated from the NHS number so that every page
 * load is identical (stable snapshots, stable DOM sizes).
 */

export interface Problem {
  code: string;
  term: string;
  onset: string;
  status: 'Active' | 'Resolved';
  significance: 'Major' | 'Minor';
}

export interface Medication {
  drug: string;
  dosage: string;
  quantity: string;
  type: 'Repeat' | 'Acute';
  lastIssued: string;
  issues: number;
}

export interface Encounter {
  date: string;
  type: string;
  clinician: string;
  summary: string;
  codes: string[];
}

export interface LabResult {
  date: string;
  test: string;
  value: string;
  unit: string;
  range: string;
  flag: '' | 'H' | 'L';
}

export interface Letter {
  date: string;
  from: string;
  subject: string;
  status: 'Filed' | 'Awaiting review';
}

export interface Observation {
  date: string;
  systolic: number;
  diastolic: number;
  pulse: number;
  temperature: string;
  weightKg: string;
  spo2: number;
}

export interface Appointment {
  date: string;
  time: string;
  clinician: string;
  type: string;
  status: 'Booked' | 'Attended' | 'Did not attend' | 'Cancelled';
}

export interface ClinicalRecord {
  allergies: string[];
  observations: Observation[];
  appointments: Appointment[];
  problems: Problem[];
  medications: Medication[];
  encounters: Encounter[];
  results: LabResult[];
  letters: Letter[];
}

/** The day the fake record ends; a fixed date keeps pages deterministic. */
export const RECORD_DATE = '2025-10-01';

function daysBefore(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

const PROBLEMS: ReadonlyArray<[string, string]> = [
  ['195967001', 'Asthma'],
  ['38341003', 'Hypertension'],
  ['44054006', 'Type 2 diabetes mellitus'],
  ['35489007', 'Depressive disorder'],
  ['396275006', 'Osteoarthritis'],
  ['55822004', 'Hyperlipidaemia'],
  ['235595009', 'Gastro-oesophageal reflux disease'],
  ['49436004', 'Atrial fibrillation'],
  ['13645005', 'Chronic obstructive lung disease'],
  ['40930008', 'Hypothyroidism'],
  ['37796009', 'Migraine'],
  ['24700007', 'Multiple sclerosis'],
  ['74400008', 'Appendicitis'],
  ['65363002', 'Otitis media'],
  ['68566005', 'Urinary tract infection'],
  ['271737000', 'Anaemia'],
];

const MEDICATIONS: ReadonlyArray<[string, string, string]> = [
  ['Salbutamol 100micrograms/dose inhaler', 'Two puffs when required', '1 inhaler'],
  ['Amlodipine 5mg tablets', 'One tablet daily', '28 tablets'],
  ['Metformin 500mg tablets', 'One tablet twice a day with meals', '56 tablets'],
  ['Sertraline 50mg tablets', 'One tablet daily', '28 tablets'],
  ['Atorvastatin 20mg tablets', 'One tablet at night', '28 tablets'],
  ['Omeprazole 20mg capsules', 'One capsule daily before breakfast', '28 capsules'],
  ['Apixaban 5mg tablets', 'One tablet twice a day', '56 tablets'],
  ['Levothyroxine 75micrograms tablets', 'One tablet each morning', '28 tablets'],
  ['Ramipril 2.5mg capsules', 'One capsule daily', '28 capsules'],
  ['Paracetamol 500mg tablets', 'Two tablets up to four times a day', '100 tablets'],
  ['Beclometasone 100micrograms/dose inhaler', 'Two puffs twice a day', '1 inhaler'],
  ['Amoxicillin 500mg capsules', 'One capsule three times a day for 5 days', '15 capsules'],
  ['Naproxen 250mg tablets', 'One tablet twice a day with food', '28 tablets'],
  ['Bisoprolol 2.5mg tablets', 'One tablet daily', '28 tablets'],
];

const ENCOUNTER_TYPES = ['Surgery consultation', 'Telephone consultation', 'Video consultation', 'Home visit', 'Nurse clinic', 'Medication review'];
const CLINICIANS = ['Dr Alice Jones', 'Dr Raj Patel', 'Nurse Ngozi Okafor', 'Dr Helen Carter', 'Pharmacist Tom Reid'];
const SUMMARIES = [
  'Reviewed symptoms; examination unremarkable. Safety-netting advice given.',
  'Blood pressure checked and recorded. Continue current management.',
  'Medication reviewed; no changes. Next review in 12 months.',
  'Presented with cough for 10 days. Chest clear. Self-care advice.',
  'Discussed test results. Repeat bloods in 3 months.',
  'Annual review completed. Care plan updated and shared.',
  'Fit note issued for 2 weeks. Follow up if not improving.',
  'Referred to physiotherapy for knee pain.',
];
const RESULT_TESTS: ReadonlyArray<[string, string, number, number]> = [
  ['Haemoglobin', 'g/L', 130, 170],
  ['White cell count', '10*9/L', 4, 11],
  ['Platelet count', '10*9/L', 150, 400],
  ['Sodium', 'mmol/L', 133, 146],
  ['Potassium', 'mmol/L', 3.5, 5.3],
  ['Creatinine', 'umol/L', 59, 104],
  ['eGFR', 'mL/min/1.73m2', 60, 120],
  ['HbA1c', 'mmol/mol', 20, 42],
  ['Cholesterol', 'mmol/L', 2, 5],
  ['TSH', 'mU/L', 0.27, 4.2],
];
const LETTER_SOURCES = ['Leeds Teaching Hospitals', 'Airedale General Hospital', 'Community Physiotherapy', 'Harrogate District Hospital', 'Mental Health Liaison Team'];
const LETTER_SUBJECTS = ['Outpatient clinic letter', 'Discharge summary', 'Radiology report', 'Referral acknowledgement', 'Treatment plan update'];
const ALLERGIES = ['Penicillin - rash', 'No known drug allergies', 'Latex - urticaria', 'Ibuprofen - wheeze', 'Peanut - anaphylaxis'];

export function clinicalRecordFor(patient: DemoPatient): ClinicalRecord {
  const random = seededRandom(patient.nhsNumber);
  const int = (max: number) => Math.floor(random() * max);

  const problems = Array.from({ length: 12 + int(8) }, (): Problem => {
    const [code, term] = pick(random, PROBLEMS);
    return {
      code,
      term,
      onset: daysBefore(RECORD_DATE, 30 + int(6000)),
      status: random() < 0.6 ? 'Active' : 'Resolved',
      significance: random() < 0.4 ? 'Major' : 'Minor',
    };
  }).sort((a, b) => b.onset.localeCompare(a.onset));

  const medications = Array.from({ length: 14 + int(8) }, (): Medication => {
    const [drug, dosage, quantity] = pick(random, MEDICATIONS);
    return { drug, dosage, quantity, type: random() < 0.7 ? 'Repeat' : 'Acute', lastIssued: daysBefore(RECORD_DATE, int(400)), issues: 1 + int(24) };
  });

  const encounters = Array.from({ length: 85 + int(15) }, (_, i): Encounter => ({
    date: daysBefore(RECORD_DATE, i * 21 + int(20)),
    type: pick(random, ENCOUNTER_TYPES),
    clinician: pick(random, CLINICIANS),
    summary: pick(random, SUMMARIES),
    codes: Array.from({ length: 1 + int(3) }, () => pick(random, PROBLEMS)[1]),
  }));

  const results = Array.from({ length: 90 + int(20) }, (_, i): LabResult => {
    const [test, unit, low, high] = pick(random, RESULT_TESTS);
    const value = low + (high - low) * (random() * 1.4 - 0.2);
    return {
      date: daysBefore(RECORD_DATE, i * 9 + int(9)),
      test,
      value: value.toFixed(high < 10 ? 1 : 0),
      unit,
      range: `${low} - ${high}`,
      flag: value > high ? 'H' : value < low ? 'L' : '',
    };
  });

  const letters = Array.from({ length: 18 + int(6) }, (_, i): Letter => ({
    date: daysBefore(RECORD_DATE, i * 40 + int(40)),
    from: pick(random, LETTER_SOURCES),
    subject: pick(random, LETTER_SUBJECTS),
    status: i < 2 ? 'Awaiting review' : 'Filed',
  }));

  const observations = Array.from({ length: 30 }, (_, i): Observation => ({
    date: daysBefore(RECORD_DATE, i * 30 + int(30)),
    systolic: 105 + int(50),
    diastolic: 60 + int(35),
    pulse: 55 + int(45),
    temperature: (36 + random() * 1.8).toFixed(1),
    weightKg: (55 + random() * 45).toFixed(1),
    spo2: 93 + int(7),
  }));

  const appointments = Array.from({ length: 20 }, (_, i): Appointment => ({
    date: daysBefore(RECORD_DATE, (i - 4) * 35),
    time: `${String(8 + int(9)).padStart(2, '0')}:${pick(random, ['00', '15', '30', '45'])}`,
    clinician: pick(random, CLINICIANS),
    type: pick(random, ENCOUNTER_TYPES),
    status: i < 4 ? 'Booked' : pick(random, ['Attended', 'Attended', 'Attended', 'Did not attend', 'Cancelled'] as const),
  }));

  const allergies = [pick(random, ALLERGIES)];
  return { allergies, observations, appointments, problems, medications, encounters, results, letters };
}
