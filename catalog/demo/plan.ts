// The demo catalogue's plan: every file of every demo entry, as the format writers of formats.ts make it. The
// bucket and the committed manifests are both made from this one table (data.ts).
import type { ManifestFile } from '../../schemas/index.ts';
import type { CsvColumn } from './formats.ts';

export type Role = ManifestFile['role'];
interface Base { path: string; component: string; role?: Role }
export type FileSpec =
  | (Base & { kind: 'tiff'; width: number; height: number; pages: number; bits: 8 | 16; rgb?: boolean })
  | (Base & { kind: 'ome-tiff'; width: number; height: number; z: number; c: number; bits: 8 | 16; pixelUm: number; zUm?: number })
  | (Base & { kind: 'png'; width: number; height: number })
  | (Base & { kind: 'mrc'; nx: number; ny: number; nz: number; pixelA: number; volume?: boolean })
  | (Base & { kind: 'hdf5'; bytes: number })
  | (Base & { kind: 'csv'; columns: CsvColumn[]; rows: number })
  | (Base & { kind: 'ome-zarr'; shape: [number, number, number, number]; chunks: [number, number, number, number]; scaleUm: [number, number, number] });

const analysis = { role: 'analysis' as const };
const annotation = { role: 'annotation' as const };

/** Every file of every demo entry with a manifest (the withdrawn BIC0000229 has none: its data is gone). */
export const demoPlan: Record<string, FileSpec[]> = {
  BIC0000013: [
    { kind: 'mrc', path: 'movies/movie_0001.mrc', component: 'movies', nx: 256, ny: 256, nz: 8, pixelA: 0.83 },
    { kind: 'mrc', path: 'movies/movie_0002.mrc', component: 'movies', nx: 256, ny: 256, nz: 8, pixelA: 0.83 },
    { kind: 'mrc', path: 'maps/half_map_1.mrc', component: 'movies', nx: 64, ny: 64, nz: 64, pixelA: 1.66, volume: true, ...analysis },
    { kind: 'mrc', path: 'maps/half_map_2.mrc', component: 'movies', nx: 64, ny: 64, nz: 64, pixelA: 1.66, volume: true, ...analysis },
    { kind: 'csv', path: 'analysis/particles.csv', component: 'movies', rows: 400, columns: [['particle', 'id'], ['x_px', 0, 4096, 1], ['y_px', 0, 4096, 1], ['defocus_u_A', 8000, 20000, 0], ['class', 1, 3, 0]], ...analysis },
  ],
  BIC0000021: [
    { kind: 'mrc', path: 'tilt_series/TS_01.mrc', component: 'tomograms', nx: 128, ny: 128, nz: 41, pixelA: 1.35 },
    { kind: 'mrc', path: 'tomograms/TS_01_bin4.mrc', component: 'tomograms', nx: 128, ny: 128, nz: 32, pixelA: 5.4, volume: true },
    { kind: 'mrc', path: 'averages/spike_sta.mrc', component: 'tomograms', nx: 48, ny: 48, nz: 48, pixelA: 2.7, volume: true, ...analysis },
    { kind: 'csv', path: 'analysis/spike_orientations.csv', component: 'tomograms', rows: 120, columns: [['spike', 'id'], ['tilt_deg', 0, 90, 1], ['rot_deg', -180, 180, 1], ['stalk_hinge_deg', 0, 60, 1]], ...analysis },
  ],
  BIC0000037: [
    { kind: 'ome-tiff', path: 'images/t0h_rep1.ome.tiff', component: 'starvation', width: 192, height: 192, z: 6, c: 2, bits: 16, pixelUm: 0.035, zUm: 0.3 },
    { kind: 'ome-tiff', path: 'images/t2h_rep1.ome.tiff', component: 'starvation', width: 192, height: 192, z: 6, c: 2, bits: 16, pixelUm: 0.035, zUm: 0.3 },
    { kind: 'ome-tiff', path: 'images/t6h_rep1.ome.tiff', component: 'starvation', width: 192, height: 192, z: 6, c: 2, bits: 16, pixelUm: 0.035, zUm: 0.3 },
    { kind: 'csv', path: 'analysis/network_measurements.csv', component: 'starvation', rows: 54, columns: [['cell', 'id'], ['time_h', 0, 6, 0], ['branch_length_um', 40, 400, 2], ['fragments', 5, 120, 0]], ...analysis },
  ],
  BIC0000045: [
    { kind: 'tiff', path: 'movies/glucose_field01.tif', component: 'timelapse', width: 128, height: 128, pages: 20, bits: 16 },
    { kind: 'tiff', path: 'movies/glycerol_field01.tif', component: 'timelapse', width: 128, height: 128, pages: 20, bits: 16 },
    { kind: 'csv', path: 'analysis/whi5_exit_tracks.csv', component: 'timelapse', rows: 150, columns: [['track', 'id'], ['exit_time_min', 0, 480, 0], ['volume_fl', 20, 90, 1], ['g1_min', 20, 140, 0]], ...analysis },
  ],
  BIC0000059: [
    { kind: 'ome-zarr', path: 'kidney_01.ome.zarr', component: 'kidneys', shape: [2, 16, 128, 128], chunks: [1, 16, 64, 64], scaleUm: [4, 1.8, 1.8] },
    { kind: 'csv', path: 'analysis/glomeruli.csv', component: 'kidneys', rows: 300, columns: [['glomerulus', 'id'], ['x_um', 0, 11000, 1], ['y_um', 0, 17000, 1], ['z_um', 0, 9600, 1], ['volume_um3', 200000, 900000, 0]], ...analysis },
  ],
  BIC0000068: [
    { kind: 'ome-zarr', path: 'embryo_01.ome.zarr', component: 'looping', shape: [1, 24, 128, 128], chunks: [1, 12, 64, 64], scaleUm: [1, 0.65, 0.65] },
    { kind: 'csv', path: 'analysis/cardiomyocyte_tracks.csv', component: 'looping', rows: 500, columns: [['spot', 'id'], ['track', 1, 80, 0], ['t_min', 0, 1680, 0], ['x_um', 0, 660, 2], ['y_um', 0, 660, 2], ['z_um', 0, 180, 2]], ...analysis },
  ],
  BIC0000076: [
    { kind: 'tiff', path: 'volumes/wt_root_01.tif', component: 'roots', width: 256, height: 256, pages: 16, bits: 8 },
    { kind: 'tiff', path: 'volumes/slr1_root_01.tif', component: 'roots', width: 256, height: 256, pages: 16, bits: 8 },
    { kind: 'csv', path: 'analysis/primordium_stages.csv', component: 'roots', rows: 40, columns: [['primordium', 'id'], ['distance_from_tip_um', 500, 4000, 0], ['stage', 1, 8, 0]], ...annotation },
  ],
  BIC0000084: [
    { kind: 'tiff', path: 'lm/section01_gfp.tif', component: 'clem', width: 256, height: 256, pages: 1, bits: 16 },
    { kind: 'mrc', path: 'em/section01_overview.mrc', component: 'clem', nx: 256, ny: 256, nz: 1, pixelA: 31 },
    { kind: 'mrc', path: 'em/section01_tomogram.mrc', component: 'clem', nx: 128, ny: 128, nz: 16, pixelA: 8, volume: true },
    { kind: 'png', path: 'overview/grid_map.png', component: 'clem', width: 320, height: 240, role: 'other' },
    { kind: 'csv', path: 'analysis/registration.csv', component: 'clem', rows: 14, columns: [['section', 'id'], ['a11', 0.9, 1.1, 5], ['a12', -0.1, 0.1, 5], ['a21', -0.1, 0.1, 5], ['a22', 0.9, 1.1, 5], ['tx_nm', -500, 500, 1], ['ty_nm', -500, 500, 1]], ...analysis },
  ],
  BIC0000092: [
    { kind: 'hdf5', path: 'volume/hela_fibsem_8nm.h5', component: 'volume', bytes: 2 * 1024 * 1024 },
    { kind: 'hdf5', path: 'labels/organelles.h5', component: 'volume', bytes: 512 * 1024, ...annotation },
    { kind: 'csv', path: 'analysis/organelle_volumes.csv', component: 'volume', rows: 220, columns: [['object', 'id'], ['class', 1, 3, 0], ['volume_um3', 0.01, 12, 4], ['er_contact_um2', 0, 3, 4]], ...analysis },
  ],
  BIC0000101: [
    { kind: 'hdf5', path: 'embryos/control_01.h5', component: 'lineages', bytes: 1536 * 1024 },
    { kind: 'hdf5', path: 'embryos/pop1_rnai_01.h5', component: 'lineages', bytes: 1536 * 1024 },
    { kind: 'csv', path: 'lineages/control_01_lineage.csv', component: 'lineages', rows: 700, columns: [['cell', 'id'], ['parent', 0, 350, 0], ['birth_frame', 0, 240, 0], ['x_um', 0, 51, 2], ['y_um', 0, 51, 2], ['z_um', 0, 31, 2]], ...analysis },
  ],
  BIC0000117: [
    { kind: 'csv', path: 'localisations/nucleus_01.csv', component: 'storm', rows: 20000, columns: [['id', 'id'], ['frame', 1, 60000, 0], ['x_nm', 0, 40960, 1], ['y_nm', 0, 40960, 1], ['sigma_nm', 90, 160, 1], ['intensity_photons', 500, 8000, 0], ['uncertainty_nm', 3, 15, 2]] },
    { kind: 'tiff', path: 'renderings/nucleus_01_10nm.tif', component: 'storm', width: 512, height: 512, pages: 1, bits: 16 },
    { kind: 'csv', path: 'analysis/frc_resolution.csv', component: 'storm', rows: 30, columns: [['nucleus', 'id'], ['frc_resolution_nm', 18, 32, 1], ['pore_radius_nm', 48, 58, 1]], ...analysis },
  ],
  BIC0000125: [
    { kind: 'tiff', path: 'volumes/mouse01_vasculature.tif', component: 'capillaries', width: 256, height: 256, pages: 12, bits: 8 },
    { kind: 'tiff', path: 'linescans/mouse01_cap001.tif', component: 'capillaries', width: 64, height: 1024, pages: 1, bits: 16 },
    { kind: 'csv', path: 'analysis/rbc_velocity.csv', component: 'capillaries', rows: 412, columns: [['capillary', 'id'], ['mouse', 1, 9, 0], ['velocity_mm_s', 0.1, 2.5, 3], ['diameter_um', 3, 8, 2], ['branch_order', 1, 9, 0]], ...analysis },
  ],
  BIC0000130: [
    { kind: 'ome-tiff', path: 'fixed/disc_72h.ome.tiff', component: 'fixed', width: 160, height: 160, z: 5, c: 3, bits: 16, pixelUm: 0.2, zUm: 0.5 },
    { kind: 'ome-tiff', path: 'fixed/disc_120h.ome.tiff', component: 'fixed', width: 160, height: 160, z: 5, c: 3, bits: 16, pixelUm: 0.2, zUm: 0.5 },
    { kind: 'ome-zarr', path: 'live/explant_01.ome.zarr', component: 'live', shape: [1, 8, 96, 96], chunks: [1, 8, 48, 48], scaleUm: [0.3, 0.104, 0.104] },
    { kind: 'png', path: 'segmentation/disc_72h_outlines.png', component: 'segmentation', width: 160, height: 160, ...annotation },
    { kind: 'csv', path: 'segmentation/cells.csv', component: 'segmentation', rows: 800, columns: [['cell', 'id'], ['apical_area_um2', 2, 30, 2], ['neighbours', 3, 9, 0], ['pmad_intensity', 100, 3000, 0]], ...analysis },
  ],
  BIC0000149: [
    { kind: 'mrc', path: 'micrographs/mic_0001.mrc', component: 'ribosomes', nx: 512, ny: 362, nz: 1, pixelA: 1.06 },
    { kind: 'mrc', path: 'micrographs/mic_0002.mrc', component: 'ribosomes', nx: 512, ny: 362, nz: 1, pixelA: 1.06 },
    { kind: 'mrc', path: 'maps/consensus.mrc', component: 'ribosomes', nx: 64, ny: 64, nz: 64, pixelA: 2.12, volume: true, ...analysis },
    { kind: 'csv', path: 'analysis/particles.csv', component: 'ribosomes', rows: 300, columns: [['particle', 'id'], ['micrograph', 1, 6210, 0], ['x_px', 0, 5760, 1], ['y_px', 0, 4092, 1], ['class', 1, 4, 0]], ...analysis },
  ],
  BIC0000158: [
    { kind: 'png', path: 'frames/gradient01_t000.png', component: 'chemotaxis', width: 256, height: 192 },
    { kind: 'png', path: 'frames/gradient01_t001.png', component: 'chemotaxis', width: 256, height: 192 },
    { kind: 'png', path: 'frames/gradient01_t002.png', component: 'chemotaxis', width: 256, height: 192 },
    { kind: 'csv', path: 'analysis/tracks.csv', component: 'chemotaxis', rows: 360, columns: [['track', 'id'], ['gradient_nM_um', 0.1, 10, 2], ['chemotactic_index', -0.2, 1, 3], ['speed_um_min', 2, 20, 2]], ...analysis },
  ],
  BIC0000163: [
    { kind: 'tiff', path: 'slides/tonsil_01.tif', component: 'slides', width: 512, height: 384, pages: 1, bits: 8, rgb: true },
    { kind: 'tiff', path: 'slides/tonsil_02.tif', component: 'slides', width: 512, height: 384, pages: 1, bits: 8, rgb: true },
    { kind: 'csv', path: 'annotations/regions.csv', component: 'slides', rows: 160, columns: [['region', 'id'], ['slide', 1, 40, 0], ['class', 1, 3, 0], ['area_mm2', 0.01, 4, 3]], ...annotation },
  ],
  BIC0000174: [
    { kind: 'tiff', path: 'flim/organoid01_control.tif', component: 'flim', width: 64, height: 64, pages: 64, bits: 16 },
    { kind: 'tiff', path: 'flim/organoid01_oligomycin.tif', component: 'flim', width: 64, height: 64, pages: 64, bits: 16 },
    { kind: 'csv', path: 'analysis/phasor_per_cell.csv', component: 'flim', rows: 480, columns: [['cell', 'id'], ['treatment', 1, 4, 0], ['g', 0.2, 0.8, 4], ['s', 0.2, 0.5, 4], ['bound_fraction', 0.1, 0.6, 3]], ...analysis },
  ],
  BIC0000182: [
    { kind: 'mrc', path: 'tomograms/ring_01.mrc', component: 'tomograms', nx: 128, ny: 128, nz: 64, pixelA: 100, volume: true },
    { kind: 'mrc', path: 'tomograms/schizont_01.mrc', component: 'tomograms', nx: 128, ny: 128, nz: 64, pixelA: 100, volume: true },
    { kind: 'mrc', path: 'segmentation/schizont_01_labels.mrc', component: 'tomograms', nx: 128, ny: 128, nz: 64, pixelA: 100, volume: true, ...annotation },
    { kind: 'csv', path: 'analysis/volumes.csv', component: 'tomograms', rows: 30, columns: [['cell', 'id'], ['stage', 1, 3, 0], ['parasite_volume_um3', 2, 40, 2], ['haemozoin_volume_um3', 0, 1.5, 3]], ...analysis },
  ],
  BIC0000196: [
    { kind: 'tiff', path: 'movies/stiff1kPa_cell01.tif', component: 'adhesions', width: 128, height: 128, pages: 30, bits: 16 },
    { kind: 'tiff', path: 'movies/stiff50kPa_cell01.tif', component: 'adhesions', width: 128, height: 128, pages: 30, bits: 16 },
    { kind: 'csv', path: 'analysis/adhesion_lifetimes.csv', component: 'adhesions', rows: 600, columns: [['adhesion', 'id'], ['stiffness_kPa', 1, 50, 0], ['lifetime_s', 30, 1200, 0], ['assembly_rate_per_min', 0.01, 0.5, 3], ['area_um2', 0.2, 6, 2]], ...analysis },
  ],
  BIC0000207: [
    { kind: 'mrc', path: 'tomograms/control_faz01.mrc', component: 'faz', nx: 128, ny: 128, nz: 40, pixelA: 16, volume: true },
    { kind: 'mrc', path: 'tomograms/faz1_rnai_faz01.mrc', component: 'faz', nx: 128, ny: 128, nz: 40, pixelA: 16, volume: true },
    { kind: 'csv', path: 'models/control_faz01_microtubules.csv', component: 'faz', rows: 120, columns: [['contour', 'id'], ['point', 1, 200, 0], ['x_nm', 0, 3276, 1], ['y_nm', 0, 3276, 1], ['z_nm', 0, 400, 1]], ...analysis },
  ],
  BIC0000210: [
    { kind: 'tiff', path: 'volumes/stage50_01.tif', component: 'tadpoles', width: 192, height: 192, pages: 24, bits: 8 },
    { kind: 'tiff', path: 'volumes/stage66_01.tif', component: 'tadpoles', width: 192, height: 192, pages: 24, bits: 8 },
    { kind: 'csv', path: 'analysis/landmarks.csv', component: 'tadpoles', rows: 504, columns: [['landmark', 'id'], ['specimen', 1, 21, 0], ['x_um', 0, 9750, 1], ['y_um', 0, 9750, 1], ['z_um', 0, 19500, 1]], ...analysis },
  ],
  BIC0000232: [
    { kind: 'mrc', path: 'tomograms/lamella01_ts01.mrc', component: 'lamellae', nx: 128, ny: 128, nz: 48, pixelA: 16.8, volume: true },
    { kind: 'mrc', path: 'averages/rubisco.mrc', component: 'lamellae', nx: 40, ny: 40, nz: 40, pixelA: 4.2, volume: true, ...analysis },
    { kind: 'csv', path: 'analysis/rubisco_positions.csv', component: 'lamellae', rows: 900, columns: [['particle', 'id'], ['x_A', 0, 8600, 1], ['y_A', 0, 12100, 1], ['z_A', 0, 1500, 1], ['score', 0.2, 0.9, 3]], ...analysis },
  ],
  BIC0000241: [
    { kind: 'ome-zarr', path: 'embryo_01.ome.zarr', component: 'gastrulation', shape: [1, 16, 128, 128], chunks: [1, 16, 64, 64], scaleUm: [2, 0.41, 0.41] },
    { kind: 'csv', path: 'tracks/embryo_01_tracks.csv', component: 'gastrulation', rows: 1000, columns: [['spot', 'id'], ['track', 1, 400, 0], ['t_min', 0, 2160, 0], ['x_um', 0, 840, 2], ['y_um', 0, 840, 2], ['z_um', 0, 800, 2]], ...analysis },
  ],
  BIC0000255: [
    { kind: 'tiff', path: 'biofilms/colony01_t12h.tif', component: 'biofilms', width: 256, height: 256, pages: 2, bits: 16 },
    { kind: 'tiff', path: 'biofilms/colony01_t48h.tif', component: 'biofilms', width: 256, height: 256, pages: 2, bits: 16 },
    { kind: 'csv', path: 'analysis/radial_profiles.csv', component: 'biofilms', rows: 270, columns: [['bin', 'id'], ['time_h', 12, 72, 0], ['radius_um', 0, 5000, 0], ['yfp', 100, 4000, 0], ['cfp', 50, 2500, 0]], ...analysis },
  ],
};
