// Synthetic, valid entries for demos and load tests (`catalogue generate`). Deterministic for a given seed.
import type { Entry, Manifest } from '../schemas/index.ts';
import { orcidCheckCharacter } from './checks/orcid.ts';
import { formatAccession } from './accession.ts';
import { toIsoDay } from './dates.ts';
import { createRandom } from './random.ts';

type Scale = 'molecule' | 'cell' | 'tissue' | 'organism';

interface Profile {
  scale: Scale;
  method: { id: string; label: string };
  instruments: string[];
  organisms: { scientificName: string; taxonId: string; commonName?: string; entities: string[] }[];
  preparations: string[];
  formats: string[];
  unit: 'Å' | 'nm' | 'µm';
  pixel: [number, number];
}

const profiles: Profile[] = [
  {
    scale: 'molecule',
    method: { id: 'FBbi:00000258', label: 'transmission electron microscopy' },
    instruments: [
      'Titan Krios G4, Falcon 4i detector, Selectris energy filter',
      'Glacios 2, Falcon 4 detector',
      'JEOL CRYO ARM 300, K3 detector',
    ],
    organisms: [
      {
        scientificName: 'Homo sapiens',
        taxonId: 'NCBITaxon:9606',
        commonName: 'human',
        entities: ['purified membrane transporter', 'proteasome core particle'],
      },
      {
        scientificName: 'Escherichia coli',
        taxonId: 'NCBITaxon:562',
        entities: ['ribosome complex', 'ABC transporter in nanodiscs'],
      },
      {
        scientificName: 'Severe acute respiratory syndrome coronavirus 2',
        taxonId: 'NCBITaxon:2697049',
        commonName: 'SARS-CoV-2',
        entities: ['spike glycoprotein trimer'],
      },
    ],
    preparations: [
      'Applied 3 µl at 2 mg/ml to glow-discharged Quantifoil R1.2/1.3 grids, ' +
        'blotted 4 s and plunge-frozen in liquid ethane (Vitrobot Mark IV).',
    ],
    formats: ['MRC', 'TIFF'],
    unit: 'Å',
    pixel: [0.6, 1.4],
  },
  {
    scale: 'cell',
    method: { id: 'FBbi:00000251', label: 'confocal microscopy' },
    instruments: [
      'Zeiss LSM 980 with Airyscan 2, 63x/1.4 oil',
      'Leica Stellaris 8, 100x/1.4 oil',
      'Nikon AX R, 60x/1.42 oil',
    ],
    organisms: [
      {
        scientificName: 'Homo sapiens',
        taxonId: 'NCBITaxon:9606',
        commonName: 'human',
        entities: ['HeLa cells', 'U2OS cells'],
      },
      {
        scientificName: 'Saccharomyces cerevisiae',
        taxonId: 'NCBITaxon:4932',
        commonName: "baker's yeast",
        entities: ['budding yeast cells'],
      },
      {
        scientificName: 'Mus musculus',
        taxonId: 'NCBITaxon:10090',
        commonName: 'house mouse',
        entities: ['primary mouse fibroblasts'],
      },
    ],
    preparations: [
      'Fixed in 4% paraformaldehyde for 15 min, permeabilised with 0.1% Triton X-100 and immunostained; ' +
        'mounted in ProLong Gold.',
    ],
    formats: ['OME-TIFF', 'CZI'],
    unit: 'µm',
    pixel: [0.04, 0.1],
  },
  {
    scale: 'tissue',
    method: { id: 'FBbi:00000364', label: 'light sheet fluorescence microscopy' },
    instruments: ['Zeiss Lightsheet 7, 5x/0.16 detection', 'LaVision UltraMicroscope Blaze', 'mesoSPIM v5'],
    organisms: [
      {
        scientificName: 'Mus musculus',
        taxonId: 'NCBITaxon:10090',
        commonName: 'house mouse',
        entities: ['cleared mouse kidney', 'mouse brain hemisphere'],
      },
      {
        scientificName: 'Homo sapiens',
        taxonId: 'NCBITaxon:9606',
        commonName: 'human',
        entities: ['human tonsil biopsy'],
      },
    ],
    preparations: [
      'Perfused with 4% PFA, cleared with iDISCO+ and immunolabelled whole-mount before imaging in dibenzyl ether.',
    ],
    formats: ['OME-Zarr', 'TIFF'],
    unit: 'µm',
    pixel: [1.0, 4.0],
  },
  {
    scale: 'organism',
    method: { id: 'FBbi:00000369', label: 'selective plane illumination microscopy' },
    instruments: ['Luxendo MuVi SPIM', 'custom SiMView light-sheet microscope', 'Viventis LS1 Live'],
    organisms: [
      {
        scientificName: 'Danio rerio',
        taxonId: 'NCBITaxon:7955',
        commonName: 'zebrafish',
        entities: ['zebrafish embryo'],
      },
      {
        scientificName: 'Drosophila melanogaster',
        taxonId: 'NCBITaxon:7227',
        commonName: 'fruit fly',
        entities: ['Drosophila embryo'],
      },
      { scientificName: 'Caenorhabditis elegans', taxonId: 'NCBITaxon:6239', entities: ['C. elegans larva'] },
    ],
    preparations: ['Live embryos mounted in 1% low-melting agarose in FEP tubes, imaged at 28.5 °C.'],
    formats: ['OME-TIFF', 'HDF5'],
    unit: 'µm',
    pixel: [0.3, 0.8],
  },
  {
    scale: 'tissue',
    method: { id: 'FBbi:00000260', label: 'X-ray microscopy' },
    instruments: ['Zeiss Xradia 620 Versa', 'synchrotron beamline with 2 µm voxel detector'],
    organisms: [
      {
        scientificName: 'Arabidopsis thaliana',
        taxonId: 'NCBITaxon:3702',
        commonName: 'thale cress',
        entities: ['Arabidopsis root', 'Arabidopsis seed'],
      },
    ],
    preparations: ['Fixed in FAA, stained with 1% phosphotungstic acid, critical-point dried and mounted on a pin.'],
    formats: ['TIFF'],
    unit: 'µm',
    pixel: [0.5, 2.0],
  },
];

const vocabulary = (
  'mitochondria nucleus membrane vesicle cytoskeleton actin microtubule chromatin nucleolus autophagy lysosome ' +
  'endosome cilium centrosome spindle mitosis meiosis apoptosis migration adhesion polarity differentiation ' +
  'development morphogenesis regeneration infection stress signalling trafficking secretion organelle contact ' +
  'dynamics segmentation tracking reconstruction tomography resolution labelling reporter knockout overexpression ' +
  'timelapse volume lineage atlas tissue architecture vasculature neuron synapse axon dendrite glia epithelium'
).split(' ');

const givenNames = [
  'Ana',
  'Ben',
  'Chiara',
  'Daniel',
  'Eva',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemi',
  'Lena',
  'Mateo',
  'Nora',
  'Olu',
  'Priya',
];
const familyNames = [
  'Almeida',
  'Berger',
  'Chen',
  'Dubois',
  'Eriksson',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
];
// Real organisations with their real ROR ids.
const organisations = [
  { name: 'European Molecular Biology Laboratory', ror: 'https://ror.org/03mstc592', address: 'Heidelberg, Germany' },
  { name: 'European Bioinformatics Institute', ror: 'https://ror.org/02catss52', address: 'Hinxton, United Kingdom' },
  { name: 'University of Cambridge', ror: 'https://ror.org/013meh722', address: 'Cambridge, United Kingdom' },
  { name: 'University of Oxford', ror: 'https://ror.org/052gg0110', address: 'Oxford, United Kingdom' },
  { name: 'Stanford University', ror: 'https://ror.org/00f54p054', address: 'Stanford, USA' },
  { name: 'Harvard University', ror: 'https://ror.org/03vek6s52', address: 'Cambridge, USA' },
];

function orcidFor(n: number): string {
  const base = `0000000${String(1000_0000 + (n % 9000_0000)).padStart(8, '0')}`.slice(-15);
  const full = base + orcidCheckCharacter(base);
  return `${full.slice(0, 4)}-${full.slice(4, 8)}-${full.slice(8, 12)}-${full.slice(12)}`;
}

function sentence(random: ReturnType<typeof createRandom>, words: number): string {
  const parts = Array.from({ length: words }, () => random.pick(vocabulary));
  return parts[0][0].toUpperCase() + parts.join(' ').slice(1) + '.';
}

export interface GeneratedEntry {
  entry: Entry;
  manifest: Manifest;
}

export interface GenerateOptions {
  /** Serial of the first accession (default 1). */
  firstSerial?: number;
  /** Seed of the pseudo-random generator (default 42). */
  seed?: number;
  /** Release dates fall between 2015-01-01 and this date, YYYY-MM-DD (default 2025-12-31). */
  latestRelease?: string;
}

/** Generates `count` valid entries with manifests, deterministic for a given seed. */
export function* generateEntries(count: number, options: GenerateOptions = {}): Generator<GeneratedEntry> {
  const random = createRandom(options.seed ?? 42);
  const firstSerial = options.firstSerial ?? 1;
  const start = Date.UTC(2015, 0, 1);
  const span = Date.parse(options.latestRelease ?? '2025-12-31') - start;
  for (let i = 0; i < count; i++) {
    const profile = random.pick(profiles);
    const { entities, ...organism } = random.pick(profile.organisms);
    const entity = random.pick(entities);
    const topic = random.sample(vocabulary, 3);
    const accession = formatAccession(firstSerial + i);
    const released = toIsoDay(new Date(start + Math.floor(random.next() * span)));
    const org = random.pick(organisations);
    const authorCount = random.int(1, 4);
    const authors = Array.from({ length: authorCount }, (_, k) => ({
      name: `${random.pick(givenNames)} ${random.pick(familyNames)}`,
      orcid: orcidFor(i * 7 + k),
      affiliations: ['org-1'],
      ...(k === 0
        ? { roles: ['contact' as const, 'data acquisition' as const], email: `contact${i}@example.org` }
        : {}),
    }));
    const description = Array.from({ length: 6 }, () => sentence(random, random.int(12, 24))).join(' ');
    const size = { x: 2048, y: 2048, z: random.int(1, 200), c: random.int(1, 4), t: random.int(1, 50) };
    const pixel = Number((profile.pixel[0] + random.next() * (profile.pixel[1] - profile.pixel[0])).toFixed(3));
    const format = random.pick(profile.formats);
    const entry: Entry = {
      schemaVersion: 1,
      accession,
      version: 1,
      versions: [{ version: 1, date: released, summary: 'Initial release' }],
      study: {
        title:
          `${profile.method.label[0].toUpperCase()}${profile.method.label.slice(1)} ` +
          `of ${topic[0]} and ${topic[1]} in ${entity} (${accession})`,
        description:
          `${profile.method.label} of ${entity} from ${organism.scientificName}, ` +
          `studying ${topic.join(', ')}. ${description}`,
        authors: authors as Entry['study']['authors'],
        affiliations: [{ id: 'org-1', ...org }],
        license: random.pick(['CC0-1.0', 'CC-BY-4.0']),
        keywords: [topic[0], ...topic.slice(1), profile.method.label],
        scales: [profile.scale],
        releaseDate: released,
        funding: [
          { funder: 'Wellcome Trust', funderRor: 'https://ror.org/029chgv08', grantId: `${200000 + i}/Z/20/Z` },
        ],
        publications: [
          {
            title: `${sentence(random, 8)}`,
            authors: authors.map((a) => a.name).join(', '),
            year: Number(released.slice(0, 4)),
            doi: `10.5555/bic.${i}`,
          },
        ],
      },
      components: [
        {
          id: 'main',
          name: `${entity} imaging`,
          description: `${profile.method.label} of ${entity}.`,
          imagingMethod: profile.method,
          biosamples: ['sample-1'],
          specimens: ['prep-1'],
          acquisitions: ['acq-1'],
          analyses: ['analysis-1'],
          imageData: {
            formats: [format],
            imageCount: random.int(1, 500),
            dimensionOrder: 'TCZYX',
            size,
            physicalSize: {
              x: pixel,
              y: pixel,
              ...(size.z > 1 ? { z: Number((pixel * 3).toFixed(3)) } : {}),
              unit: profile.unit,
            },
          },
        },
      ],
      biosamples: [
        {
          id: 'sample-1',
          organisms: [organism],
          biologicalEntity: entity,
          intrinsicVariables: [random.pick(['wild type', 'knockout of a candidate gene', 'fluorescent reporter line'])],
          extrinsicVariables: [random.pick(['none', 'drug treatment', 'nutrient starvation'])],
        },
      ],
      specimens: [
        {
          id: 'prep-1',
          preparationProtocol: random.pick(profile.preparations),
          signalContrast: profile.scale === 'molecule' ? 'electron density' : 'fluorescence',
        },
      ],
      acquisitions: [
        {
          id: 'acq-1',
          imagingMethod: profile.method,
          instrument: random.pick(profile.instruments),
          parameters: sentence(random, 10),
        },
      ],
      analyses: [
        {
          id: 'analysis-1',
          overview: `Segmentation and measurement of ${topic[0]}.`,
          method: random.pick(['ilastik 1.4', 'Cellpose 3', 'RELION 5', 'napari with custom plugins']),
        },
      ],
    };
    const fileCount = random.int(1, 5);
    const manifest: Manifest = {
      schemaVersion: 1,
      location: { mirror: 'local', prefix: `${accession}/` },
      files: Array.from({ length: fileCount }, (_, k) => ({
        path:
          `images/${entity.replace(/[^A-Za-z0-9]+/g, '_')}_` +
          `${String(k + 1).padStart(3, '0')}.${extensionOf(format)}`,
        size: random.int(1, 1 << 30),
        sha256: hex64(random),
        format: format as Manifest['files'][number]['format'],
        component: 'main',
        role: 'image' as const,
      })),
    };
    yield { entry, manifest };
  }
}

function extensionOf(format: string): string {
  return (
    (
      { 'OME-TIFF': 'ome.tiff', TIFF: 'tif', CZI: 'czi', MRC: 'mrc', HDF5: 'h5', 'OME-Zarr': 'zarr.zip' } as Record<
        string,
        string
      >
    )[format] ?? 'bin'
  );
}

function hex64(random: ReturnType<typeof createRandom>): string {
  let out = '';
  while (out.length < 64)
    out += Math.floor(random.next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, 64);
}
