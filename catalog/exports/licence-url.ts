/** The SPDX licence list page of an SPDX id, the licence URL every export gives (https://spdx.org/licenses/). */
export const licenceUrl = (spdx: string): string => `https://spdx.org/licenses/${encodeURIComponent(spdx)}.html`;
