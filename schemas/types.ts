// Generated from schemas/*.schema.json by `npm run schemas:types`. Do not edit by hand.
/**
 * A calendar date, written YYYY-MM-DD.
 */
export type CalendarDate = string
/**
 * A short name for an object, unique within the entry, that other objects use to refer to it. Lower-case letters, digits and hyphens, starting with a letter.
 */
export type LocalId = string
/**
 * The `id`s of the author's affiliations, listed under study.affiliations.
 */
export type LocalIdList = LocalId[]
/**
 * `id`s of the biosamples imaged in this component.
 * 
 * @minItems 1
 */
export type LocalIdList1 = [LocalId, ...(LocalId)[]]
/**
 * `id`s of the specimen preparations used.
 * 
 * @minItems 1
 */
export type LocalIdList2 = [LocalId, ...(LocalId)[]]
/**
 * `id`s of the image acquisitions used.
 * 
 * @minItems 1
 */
export type LocalIdList3 = [LocalId, ...(LocalId)[]]
/**
 * `id`s of the image correlations used, if any.
 */
export type LocalIdList4 = LocalId[]
/**
 * `id`s of the analyses applied, if any.
 */
export type LocalIdList5 = LocalId[]

/**
 * One dataset in the catalogue, described with the REMBI modules (Recommended Metadata for Biological Images, Sarkans et al. 2021, doi:10.1038/s41592-021-01166-8): the study, its components, and the biosamples, specimens, acquisitions, correlations and analyses they use. Objects refer to each other by the local `id` you give them.
 */
export interface Entry {
/**
 * Version of this entry format. Always 1 for now.
 */
schemaVersion: 1
/**
 * The stable accession of the entry. Leave it out when you submit: it is assigned when your pull request is merged, and never changes or gets reused.
 */
accession?: string
/**
 * Version number of the released entry, starting at 1. Assigned by the catalogue when a changed entry is merged; leave it out when you submit.
 */
version?: number
/**
 * History of released versions, oldest first. Written by the catalogue; do not edit.
 */
versions?: VersionNote[]
study: Study
/**
 * Study components: the parts of the study that were imaged the same way (REMBI 'Study Component'). Most studies have one.
 * 
 * @minItems 1
 */
components: [StudyComponent, ...(StudyComponent)[]]
/**
 * The biological material that was imaged (REMBI 'Biosample').
 * 
 * @minItems 1
 */
biosamples: [Biosample, ...(Biosample)[]]
/**
 * How the biosamples were prepared for imaging (REMBI 'Specimen').
 * 
 * @minItems 1
 */
specimens: [Specimen, ...(Specimen)[]]
/**
 * How the images were acquired (REMBI 'Image Acquisition').
 * 
 * @minItems 1
 */
acquisitions: [ImageAcquisition, ...(ImageAcquisition)[]]
/**
 * How images from different methods were aligned to each other (REMBI 'Image Correlation'). Only for correlative studies.
 */
correlations?: ImageCorrelation[]
/**
 * How the images were analysed (REMBI 'Analysed Data').
 */
analyses?: Analysis[]
/**
 * Annotation datasets made on the entry's images (MIFA): masks, labels, points, boxes, tracks.
 * 
 * @maxItems 500
 */
annotations?: Annotation[]
/**
 * The DOI registered for this entry with DataCite. Written by the catalogue when it registers one; leave it out when you submit.
 */
doi?: string
/**
 * The image that stands for the dataset on its page and in search results: the `path` of an image file in manifest.json (for an OME-Zarr image, its folder or its zarr.json or .zattrs). Without it, the first file with role image is used.
 */
representativeImage?: string
}
export interface VersionNote {
/**
 * The version number.
 */
version: number
date: CalendarDate
/**
 * What changed in this version.
 */
summary: string
}
/**
 * The study as a whole (REMBI 'Study').
 */
export interface Study {
/**
 * Title of the dataset, as you would like it cited. At least 10 characters.
 */
title: string
/**
 * What the dataset contains and why it was made, in a few sentences (at least 50 characters). Plain text; blank lines separate paragraphs.
 */
description: string
/**
 * The people who made the dataset, in citation order.
 * 
 * @minItems 1
 */
authors: [Author, ...(Author)[]]
/**
 * The organisations the authors belong to. Authors refer to them by `id`.
 */
affiliations?: Affiliation[]
/**
 * The licence under which the data may be reused, as an SPDX licence identifier (see https://spdx.org/licenses/). CC0-1.0 or CC-BY-4.0 are recommended.
 */
license: string
/**
 * Words and short phrases that help people find the dataset.
 * 
 * @minItems 1
 */
keywords: [string, ...(string)[]]
/**
 * The biological scales the images cover: molecule (e.g. cryo-EM of proteins), cell, tissue or organism.
 * 
 * @minItems 1
 */
scales: [("molecule" | "cell" | "tissue" | "organism"), ...(("molecule" | "cell" | "tissue" | "organism"))[]]
/**
 * A calendar date, written YYYY-MM-DD.
 */
releaseDate: string
/**
 * Grants that funded the work.
 */
funding?: Funding[]
/**
 * Papers that describe or use the dataset.
 */
publications?: Publication[]
/**
 * Other web pages related to the dataset (code, protocols, related data).
 */
links?: Link[]
/**
 * Resources in other archives that this dataset relates to, each named by a compact identifier (prefix:id, prefixes from the Bioregistry: emdb, empiar, pdb, uniprot, ensembl, biostudies, idr, doi, pubmed) and how it relates. They are shown as links and exported to DataCite, schema.org and OAI-PMH.
 * 
 * @maxItems 500
 */
related?: RelatedResource[]
/**
 * People and facilities to thank who are not authors.
 */
acknowledgements?: string
}
export interface Author {
/**
 * Full name as it should appear in citations.
 */
name: string
/**
 * The author's ORCID iD, as 16 digits in four groups (the last may be X); the https://orcid.org/ prefix is optional.
 */
orcid?: string
/**
 * A contact e-mail address (not shown on the site unless the author is the contact).
 */
email?: string
/**
 * What the author did.
 */
roles?: ("contact" | "data acquisition" | "data curation" | "analysis" | "supervision" | "submitter" | "funding acquisition" | "methodology")[]
affiliations?: LocalIdList
}
export interface Affiliation {
id: LocalId
/**
 * Name of the organisation.
 */
name: string
/**
 * The organisation's ROR id (https://ror.org), as the full URL or the 9-character id.
 */
ror?: string
/**
 * City and country.
 */
address?: string
}
export interface Funding {
/**
 * Name of the funding organisation.
 */
funder: string
/**
 * ROR id of the funder.
 */
funderRor?: string
/**
 * The grant number as the funder writes it.
 */
grantId?: string
}
export interface Publication {
/**
 * Title of the publication.
 */
title: string
/**
 * Authors as printed.
 */
authors?: string
/**
 * Year of publication.
 */
year?: number
/**
 * The DOI, without https://doi.org/.
 */
doi?: string
/**
 * The PubMed id (digits only).
 */
pubmedId?: string
}
export interface Link {
/**
 * An http(s) address.
 */
url: string
/**
 * What the link points to.
 */
description?: string
}
/**
 * One related resource, named by a compact identifier, and its relation to this dataset.
 */
export interface RelatedResource {
/**
 * The resource as prefix:id, with a Bioregistry prefix (emdb, empiar, pdb, uniprot, ensembl, biostudies, idr, doi, pubmed) and the id as the archive writes it.
 */
id: string
/**
 * How this dataset relates to the resource, as a DataCite relationType: IsSupplementTo (data behind a paper or a structure), IsDerivedFrom (made from it), References (uses or mentions it), IsPartOf, HasPart, IsIdenticalTo (the same data deposited elsewhere), ...
 */
relation: ("IsCitedBy" | "Cites" | "IsSupplementTo" | "IsSupplementedBy" | "IsContinuedBy" | "Continues" | "IsNewVersionOf" | "IsPreviousVersionOf" | "IsPartOf" | "HasPart" | "IsPublishedIn" | "IsReferencedBy" | "References" | "IsDocumentedBy" | "Documents" | "IsCompiledBy" | "Compiles" | "IsVariantFormOf" | "IsOriginalFormOf" | "IsIdenticalTo" | "HasMetadata" | "IsMetadataFor" | "Reviews" | "IsReviewedBy" | "IsDerivedFrom" | "IsSourceOf" | "Describes" | "IsDescribedBy" | "HasVersion" | "IsVersionOf" | "Requires" | "IsRequiredBy" | "Obsoletes" | "IsObsoletedBy" | "Collects" | "IsCollectedBy" | "HasTranslation" | "IsTranslationOf")
/**
 * What the resource is, in a few words; shown beside the link.
 */
description?: string
}
export interface StudyComponent {
id: LocalId
/**
 * Short name of the component.
 */
name: string
/**
 * What this part of the study contains.
 */
description: string
imagingMethod: ImagingMethod
biosamples: LocalIdList1
specimens: LocalIdList2
acquisitions: LocalIdList3
correlations?: LocalIdList4
analyses?: LocalIdList5
imageData?: ImageData
}
/**
 * The imaging method, as a term of the Biological Imaging Methods Ontology (FBbi, https://www.ebi.ac.uk/ols4/ontologies/fbbi): its id (FBbi: followed by 8 digits) and its label.
 */
export interface ImagingMethod {
/**
 * The term's CURIE.
 */
id: string
/**
 * The term's name.
 */
label: string
}
/**
 * The images of a component: file formats, dimensions and pixel or voxel size.
 */
export interface ImageData {
/**
 * File formats of the images.
 */
formats?: string[]
/**
 * Number of images.
 */
imageCount?: number
/**
 * Order of the dimensions in the files.
 */
dimensionOrder?: string
/**
 * Typical image size in pixels along each dimension.
 */
size?: {
/**
 * Width in pixels.
 */
x?: number
/**
 * Height in pixels.
 */
y?: number
/**
 * Number of z-planes (1 for a single plane).
 */
z?: number
/**
 * Number of channels.
 */
c?: number
/**
 * Number of time points.
 */
t?: number
}
/**
 * Pixel or voxel size, in `unit`.
 */
physicalSize?: {
/**
 * Pixel width, in `unit`.
 */
x: number
/**
 * Pixel height, in `unit`.
 */
y: number
/**
 * Distance between z-planes, in `unit`.
 */
z?: number
/**
 * Unit of the sizes: Å (ångström), nm, µm or mm.
 */
unit: ("Å" | "nm" | "µm" | "mm")
}
}
export interface Biosample {
id: LocalId
/**
 * The organism(s) the sample comes from.
 * 
 * @minItems 1
 */
organisms: [Organism, ...(Organism)[]]
/**
 * What was imaged: a cell line, tissue, organism, purified protein...
 */
biologicalEntity: string
/**
 * More about the sample.
 */
description?: string
/**
 * Genetic or intrinsic variables (genotype, cell line, mutations).
 */
intrinsicVariables?: string[]
/**
 * External treatments applied to the sample (drugs, conditions).
 */
extrinsicVariables?: string[]
/**
 * What was varied deliberately between images (time, dose).
 */
experimentalVariables?: string[]
}
export interface Organism {
/**
 * Scientific (Latin) name as in the NCBI Taxonomy.
 */
scientificName: string
/**
 * Common name, if there is one.
 */
commonName?: string
/**
 * NCBI Taxonomy id (https://www.ncbi.nlm.nih.gov/taxonomy), as NCBITaxon: followed by digits.
 */
taxonId: string
}
export interface Specimen {
id: LocalId
/**
 * How the sample was prepared for imaging (fixation, staining, mounting, vitrification...).
 */
preparationProtocol: string
/**
 * How cells or organisms were grown before preparation.
 */
growthProtocol?: string
/**
 * What produces the signal or contrast (fluorescent labels, stains, phase contrast, electron density).
 */
signalContrast?: string
/**
 * The channels in the images and what each shows.
 */
channels?: Channel[]
}
export interface Channel {
/**
 * Channel name as in the image files.
 */
name: string
/**
 * What the channel shows (the stain or fluorophore and its target).
 */
content?: string
/**
 * Excitation wavelength in nanometres.
 */
excitationNm?: number
/**
 * Emission wavelength in nanometres.
 */
emissionNm?: number
}
export interface ImageAcquisition {
id: LocalId
imagingMethod: ImagingMethod
/**
 * Microscope or instrument, with objective, detector and light source.
 */
instrument?: string
/**
 * Acquisition settings: pixel dwell time, exposure, dose, tilt range, laser power...
 */
parameters?: string
}
export interface ImageCorrelation {
id: LocalId
/**
 * How images were brought into register.
 */
alignment?: string
/**
 * Fiducial markers used.
 */
fiducials?: string
/**
 * The transformation applied (and where its matrix is stored).
 */
transformation?: string
}
export interface Analysis {
id: LocalId
/**
 * What the analysis did and what it produced.
 */
overview: string
/**
 * Software, versions and parameters.
 */
method?: string
/**
 * The features measured.
 */
features?: string[]
}
/**
 * An annotation dataset (described with MIFA, the Metadata, Incentives, Formats and Accessibility guidelines for annotations that the BioImage Archive uses): labels, masks, points, boxes or tracks drawn on the entry's images.
 */
export interface Annotation {
id: LocalId
/**
 * A short name for the annotations.
 */
title: string
/**
 * What was annotated and why (MIFA 'annotation overview').
 */
overview: string
/**
 * The kinds of annotation, from the MIFA list: class_labels, bounding_boxes, counts, derived_annotations, geometrical_annotations, graphs, point_annotations, segmentation_mask, tracks, weak_annotations, other.
 * 
 * @minItems 1
 */
types: [("class_labels" | "bounding_boxes" | "counts" | "derived_annotations" | "geometrical_annotations" | "graphs" | "point_annotations" | "segmentation_mask" | "tracks" | "weak_annotations" | "other"), ...(("class_labels" | "bounding_boxes" | "counts" | "derived_annotations" | "geometrical_annotations" | "graphs" | "point_annotations" | "segmentation_mask" | "tracks" | "weak_annotations" | "other"))[]]
/**
 * How the annotations were made: by hand, by a model then corrected, by a threshold (MIFA 'annotation method').
 */
method?: string
/**
 * The rules the annotators followed: what was included or left out (MIFA 'annotation criteria').
 */
criteria?: string
/**
 * Which part of the images is annotated, when not all of it (MIFA 'annotation coverage').
 */
coverage?: string
/**
 * How far the annotations can be trusted: agreement between annotators, review, known errors (MIFA 'annotation confidence level').
 */
confidence?: string
/**
 * Who made the annotations: people, teams or software.
 */
annotators?: string[]
/**
 * The file format of the annotations, e.g. OME-Zarr labels (OME-NGFF 0.5 'labels'), TIFF label images, CSV of points, GeoJSON.
 */
format?: string
/**
 * The annotation files, as paths in the entry's manifest (a folder path ending in / stands for every file below it).
 * 
 * @minItems 1
 */
files: [string, ...(string)[]]
/**
 * The images that were annotated, as paths in the entry's manifest (a folder path ending in / stands for every file below it). For OME-Zarr labels, the image the labels folder sits in.
 */
sourceImages?: string[]
}
/**
 * Every file of an entry, with its size and SHA-256, and where the files live. `catalogue manifest create <folder>` writes it for you.
 */
export interface Manifest {
/**
 * Version of the manifest format. Always 1 for now.
 */
schemaVersion: 1
/**
 * Where the files are stored: a mirror listed in storage/mirrors.yaml and the key prefix under which this entry's files sit.
 */
location: {
/**
 * The `id` of the mirror that holds the primary copy.
 */
mirror: string
/**
 * Key prefix of the entry's files in that mirror, ending with a slash. Same character rules as file paths.
 */
prefix: string
}
/**
 * One item per file.
 */
files: ManifestFile[]
/**
 * Files the catalogue made from the submitted ones: previews (thumbnails) and OME-Zarr conversions. Written by `catalogue previews` and `catalogue convert` (and by upload when asked), never by hand. Each sits under `.derived/` in the entry's prefix, so every mirror replicates it and every fixity audit checks it like a submitted file.
 */
derived?: DerivedFile[]
}
export interface ManifestFile {
/**
 * Path of the file relative to the entry's folder, with forward slashes, exactly as the file is named: spaces, accents and any script are fine, written in Unicode NFC. Not allowed: '.' or '..' as a part, a leading slash or drive letter, backslashes, control characters, a part that starts or ends with a space or ends with '.', the characters < > : " | ? *, Windows device names (CON, NUL, COM1...), and two paths that differ only in upper and lower case.
 */
path: string
/**
 * Size in bytes.
 */
size: number
/**
 * SHA-256 of the file's bytes, as 64 lower-case hexadecimal characters.
 */
sha256: string
/**
 * File format, as detected from its extension and first bytes.
 */
format: ("OME-TIFF" | "TIFF" | "OME-Zarr" | "CZI" | "ND2" | "LIF" | "MRC" | "DM3" | "DM4" | "HDF5" | "PNG" | "JPEG" | "CSV" | "TSV" | "JSON" | "XML" | "TXT" | "other")
/**
 * The `id` of the study component the file belongs to.
 */
component?: string
/**
 * What the file is.
 */
role: ("image" | "annotation" | "analysis" | "other")
image?: ImageMetadata
}
/**
 * What the file holds as an image, read from its own bytes when the manifest was made (for OME-Zarr, on the image's root metadata file: `zarr.json` or `.zattrs`). `status: recognised` means the format was identified but its metadata is not read by this catalogue.
 */
export interface ImageMetadata {
/**
 * `read`: axes, sizes and data type were read from the file. `recognised`: the format was identified from its first bytes, but this catalogue does not read its metadata (see docs/images.md for which formats are read).
 */
status: ("read" | "recognised")
/**
 * The image format found in the file's bytes.
 */
format: string
/**
 * The axes in the file's order, slowest first, with their size at full resolution and, for space and time axes, the physical size of one sample.
 */
axes?: ImageAxis[]
/**
 * Type of one pixel value as numpy names it; `rgb8` for 8-bit colour images (PNG, JPEG, RGB TIFF).
 */
dataType?: ("bool" | "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "int64" | "uint64" | "float16" | "float32" | "float64" | "complex64" | "complex128" | "rgb8")
/**
 * The channels with the name and display colour the file gives (OME-XML Channel, OME-NGFF omero.channels).
 */
channels?: ImageChannel[]
/**
 * How many images the file holds (OME-TIFF series, TIFF pages that are separate images); the axes describe the first.
 */
seriesCount?: number
/**
 * OME-Zarr: how many resolution levels the multiscale pyramid has.
 */
resolutionLevels?: number
/**
 * OME-Zarr: the image has a `labels` group (segmentations).
 */
hasLabels?: boolean
/**
 * OME-Zarr: the group is a high-content-screening plate.
 */
isPlate?: boolean
}
export interface ImageAxis {
/**
 * Axis name: x, y, z, c or t as OME names them, or the file's own name.
 */
name: string
/**
 * OME-NGFF axis type.
 */
type: ("space" | "time" | "channel" | "other")
/**
 * Number of samples along the axis at full resolution.
 */
size: number
/**
 * Physical size of one sample along a space or time axis, in `unit`.
 */
physicalSize?: number
/**
 * A unit as OME-NGFF 0.5 names it (UDUNITS-2): micrometer, nanometer, angstrom, second...
 */
unit?: string
}
export interface ImageChannel {
/**
 * Channel name as the file gives it.
 */
name?: string
/**
 * Display colour as six upper-case hexadecimal digits (RRGGBB).
 */
color?: string
}
export interface DerivedFile {
/**
 * Path relative to the entry's prefix; always starts with `.derived/`.
 */
path: string
/**
 * Size in bytes.
 */
size: number
/**
 * SHA-256 of the file's bytes, as 64 lower-case hexadecimal characters.
 */
sha256: string
/**
 * `thumbnail` (about 256 px) and `preview` (about 1024 px) are PNG images of the original; `ome-zarr` is one file of an OME-Zarr 0.5 conversion of it.
 */
kind: ("thumbnail" | "preview" | "ome-zarr")
/**
 * `path` of the submitted file this was made from (for OME-Zarr, the root metadata file of the image).
 */
of: string
/**
 * Name and version of the recipe that made it, so a new recipe makes new objects beside the old ones.
 */
recipe: string
}
/**
 * What remains of a withdrawn entry: its accession keeps resolving to a page that says why and when it was withdrawn. Written by `catalogue withdraw`; earlier versions stay in the entry's versions folder.
 */
export interface Tombstone {
/**
 * Always 1 for now.
 */
schemaVersion: 1
/**
 * The withdrawn accession.
 */
accession: string
/**
 * Title of the entry when it was withdrawn.
 */
title: string
/**
 * When and why the entry was withdrawn.
 */
withdrawn: {
/**
 * Date of withdrawal, YYYY-MM-DD.
 */
date: string
/**
 * Why the entry was withdrawn, for the public.
 */
reason: string
/**
 * Accession of the entry that replaces it, if any.
 */
replacedBy?: string
/**
 * Whether the entry's files may be deleted from the mirrors (`catalogue mirror sync` deletes them, a bounded number per run). Leave out or false to keep them, the default: archives keep data.
 */
deleteFiles?: boolean
}
/**
 * History of the released versions before withdrawal.
 */
versions?: VersionNote[]
/**
 * The DOI the entry was registered with. It keeps resolving to the tombstone page, which says why the entry was withdrawn. Written by the catalogue.
 */
doi?: string
}
/**
 * The `id`s of the author's affiliations, listed under study.affiliations.
 * 
 * Items: A short name for an object, unique within the entry, that other objects use to refer to it. Lower-case letters, digits and hyphens, starting with a letter.
 */
export type Scales = [("molecule" | "cell" | "tissue" | "organism"), ...(("molecule" | "cell" | "tissue" | "organism"))[]]
/**
 * `id`s of the biosamples imaged in this component.
 * 
 * @minItems 1
 * 
 * Items: A short name for an object, unique within the entry, that other objects use to refer to it. Lower-case letters, digits and hyphens, starting with a letter.
 */
export interface HarvestedRecord {
/**
 * Always 1 for now.
 */
schemaVersion: 1
/**
 * Stable, URL-safe id derived from the partner id and the record's OAI identifier; the same record always gets the same id.
 */
id: string
/**
 * Where the record came from.
 */
origin: {
/**
 * The partner's id in harvester/partners.yaml.
 */
partner: string
/**
 * The record's OAI-PMH identifier at the partner; for an RO-Crate, the @id of its root Dataset (or the crate's address when that is not a URL).
 */
identifier: string
/**
 * The record's datestamp at the partner (OAI-PMH §2.7.1), day or second granularity.
 */
datestamp: string
/**
 * The metadataPrefix it was harvested in.
 */
metadataFormat: string
/**
 * When it was harvested (UTC).
 */
harvestedAt: string
/**
 * The record's landing page at the partner.
 */
url?: string
/**
 * For a partner that publishes RO-Crates: the address of the crate's metadata file the record was read from.
 */
crate?: string
/**
 * For RO-Crates read from a GitHub repository: the commit they were read at.
 */
commit?: string
}
/**
 * Present when the partner reports the record deleted (OAI-PMH §2.5.1): the record is kept as a tombstone.
 */
deleted?: {
datestamp: string
}
/**
 * The study-level metadata the partner provided.
 */
study: {
/**
 * Title.
 */
title: string
/**
 * Abstract or description.
 */
description?: string
authors?: Author[]
affiliations?: Affiliation[]
/**
 * SPDX id, or the partner's default licence.
 */
license?: string
keywords?: string[]
scales?: Scales
/**
 * A calendar date, written YYYY-MM-DD.
 */
releaseDate?: string
funding?: Funding[]
publications?: Publication[]
links?: Link[]
/**
 * Other identifiers of the dataset (DOI, URLs).
 */
identifiers?: string[]
acknowledgements?: string
}
components?: StudyComponent[]
biosamples?: Biosample[]
specimens?: Specimen[]
acquisitions?: ImageAcquisition[]
correlations?: ImageCorrelation[]
analyses?: Analysis[]
/**
 * How large the dataset is at the partner, as its RO-Crate states it.
 */
size?: {
/**
 * Total size of the files in bytes.
 */
bytes?: number
/**
 * Number of files.
 */
files?: number
/**
 * Number of parts the crate lists (hasPart).
 */
parts?: number
}
/**
 * The accession at the partner, when the partner is another instance of this catalogue.
 */
sourceAccession?: string
/**
 * The version at the partner, when it has versions.
 */
version?: number
manifest?: Manifest
}
export type Partner = {
/**
 * Short id used in harvested entries' ids; never change it once harvested.
 */
id: string
/**
 * Name shown on the site.
 */
name: string
/**
 * The OAI-PMH base URL (OAI-PMH §3.1); for a partner that publishes RO-Crates, its home page.
 */
baseUrl: string
/**
 * Metadata format to harvest (OAI-PMH); 'ro-crate' for a partner that publishes RO-Crates.
 */
metadataPrefix: string
/**
 * setSpecs to harvest; all records when absent.
 */
sets?: string[]
/**
 * When to harvest, as a cron expression (minute hour day month weekday).
 */
schedule: string
/**
 * Who to contact at the partner.
 */
contact: string
/**
 * SPDX licence to assume when a record states none.
 */
defaultLicense?: string
/**
 * Set to false to pause harvesting.
 */
enabled?: boolean
/**
 * Set to true only for a partner on your own network: redirects and host names may then lead to loopback, private (RFC 1918), link-local and other non-public addresses, which are otherwise refused (PRIVATE_ADDRESS). The base URL itself is always used as given.
 */
allowPrivateNetwork?: boolean
/**
 * How the partner publishes its records: OAI-PMH (the default) or RO-Crate metadata files listed in `crates`.
 */
protocol?: ("oai-pmh" | "ro-crate")
/**
 * For protocol ro-crate: where the crates are listed. Exactly one of a list of crate URLs, a sitemap (sitemaps.org protocol) listing them, or a folder of a public GitHub repository holding *ro-crate-metadata.json files.
 */
crates?: {
/**
 * The addresses of the crates' metadata files.
 * 
 * @minItems 1
 */
urls?: [string, ...(string)[]]
/**
 * A sitemap whose <loc> entries are the crates' metadata files.
 */
sitemap?: string
/**
 * A folder of a public GitHub repository; every file in it named *ro-crate-metadata.json is a crate.
 */
github?: {
/**
 * Owner of the repository.
 */
owner: string
/**
 * Name of the repository.
 */
repo: string
/**
 * The folder in the repository.
 */
path: string
/**
 * Branch or tag (default: the repository's default branch).
 */
ref?: string
}
}
/**
 * Where the partner's entry files can be read without credentials (its public mirror), for `catalogue mirror sync --entry <harvested id>`: an HTTP(S) base URL under which an object sits at <baseUrl>/<key>, or an S3 endpoint and bucket read anonymously. Keys are the partner manifest's prefix and path.
 */
files?: {
/**
 * HTTP(S) base URL of the public mirror.
 */
baseUrl?: string
/**
 * S3 endpoint of the public bucket (path-style requests).
 */
endpoint?: string
/**
 * The public bucket.
 */
bucket?: string
/**
 * S3 region (default us-east-1).
 */
region?: string
/**
 * Key prefix inside the bucket or URL, ending with '/'.
 */
prefix?: string
}
}

/**
 * The partner archives harvested over OAI-PMH (harvester/partners.yaml).
 */
export interface Partners {
/**
 * One item per partner archive.
 */
partners: Partner[]
}
export type Mirror = {
/**
 * Short id of the mirror.
 */
id: string
/**
 * `s3` for any S3-compatible store, `folder` for a local folder.
 */
kind: ("s3" | "folder")
/**
 * `primary` holds the copy of record; `mirror` holds replicas.
 */
role: ("primary" | "mirror")
/**
 * S3 endpoint URL (s3 only).
 */
endpoint?: string
/**
 * Bucket name (s3 only).
 */
bucket?: string
/**
 * Folder path, relative to the repository (folder only).
 */
path?: string
/**
 * Key prefix under which the catalogue's files sit, ending with a slash, or empty.
 */
prefix?: string
/**
 * Region name (s3 only).
 */
region?: string
/**
 * Names of the environment variables that hold the access key id and secret (s3 only). Leave out for anonymous read-only access.
 */
credentials?: {
/**
 * Name of the environment variable holding the access key id.
 */
accessKeyIdEnv: string
/**
 * Name of the environment variable holding the secret access key.
 */
secretAccessKeyEnv: string
}
/**
 * Public HTTP(S) address where the files can be downloaded; the object key is appended.
 */
publicBaseUrl?: string
}

/**
 * The buckets that hold the catalogue's files (storage/mirrors.yaml). Credentials are never written here: only the names of the environment variables that hold them.
 */
export interface Mirrors {
/**
 * One item per bucket or folder; exactly one should have role primary.
 */
mirrors: Mirror[]
}
/**
 * The result of the pull-request check as data (`catalogue report --problems FILE`). The check runs the pull request's files with a read-only token and leaves this file as an artifact; the comment workflow, which may write to pull requests, validates it against this schema and renders the comment from it with a fixed template. Every string in it is untrusted text: the bounds keep a crafted artifact small, and the renderer escapes every string.
 */
export interface CheckReport {
/**
 * Always 1 for now.
 */
schemaVersion: 1
/**
 * How many records the check read.
 */
checked: number
/**
 * How many errors the check found, including any left out of `problems`.
 */
errors: number
/**
 * How many warnings the check found, including any left out of `problems`.
 */
warnings: number
/**
 * The first problems found (at most 500; `errors` and `warnings` count them all).
 * 
 * @maxItems 500
 */
problems: ReportedProblem[]
}
/**
 * One problem, as `catalogue check` prints it on one line.
 */
export interface ReportedProblem {
/**
 * The file, relative to the repository root.
 */
file: string
/**
 * Line of the offending value, from 1.
 */
line?: number
/**
 * Column of the offending value, from 1.
 */
column?: number
/**
 * JSON pointer (RFC 6901) of the offending value; empty for the whole file.
 */
pointer: string
/**
 * The problem's code, SCREAMING_SNAKE as the checker writes it.
 */
code: string
/**
 * What is wrong.
 */
message: string
/**
 * How to fix it, when there is a fix.
 */
fix?: string
/**
 * An error fails the check; a warning does not.
 */
severity: ("error" | "warning")
}
/**
 * A curator's record of one entry (curation/<ACCESSION>.yaml), added by pull request: who reviewed it, when, and which of the configured criteria (curation/criteria.yaml) it meets. Events are only ever added, so the history of the "Reference dataset" label is kept through new versions and withdrawal.
 */
export interface CurationRecord {
/**
 * The accession of the entry the record is about; the file is named after it.
 */
accession: string
/**
 * Curation events, oldest first. The last one decides whether the entry is a reference dataset now; add an event rather than edit an old one.
 * 
 * @minItems 1
 */
history: [CurationEvent, ...(CurationEvent)[]]
}
export interface CurationEvent {
/**
 * Day of the review, YYYY-MM-DD.
 */
date: string
/**
 * `reference`: the entry is a reference dataset from this day; `revoked`: it no longer is (say why in `note`).
 */
label: ("reference" | "revoked")
/**
 * The version of the entry that was reviewed (the entry's `version`).
 */
version: number
/**
 * The curators who reviewed the entry: at least one, each with an ORCID.
 * 
 * @minItems 1
 */
reviewers: [Reviewer, ...(Reviewer)[]]
/**
 * The ids of the criteria of curation/criteria.yaml the entry meets; a reference dataset meets every criterion that file marks required.
 */
criteria: string[]
/**
 * Why, in a sentence or two (required when the label is revoked).
 */
note?: string
}
export interface Reviewer {
/**
 * The reviewer's name as it should be shown.
 */
name: string
/**
 * The reviewer's ORCID iD (16 digits in four groups; the last may be X).
 */
orcid: string
}
