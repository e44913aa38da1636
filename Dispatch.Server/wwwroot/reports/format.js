// How the reports page writes its figures: "—" for nothing measured.
import { money } from "../common/format.js";

export const percent = (value) => (value == null ? "—" : `${Math.round(value * 100)}%`);

export const minutes = (seconds) => (seconds == null ? "—" : `${(seconds / 60).toFixed(1)} min`);

export const cents = (value) => (value == null ? "—" : money(Math.round(value)));

export const day = (iso) => iso.slice(0, 10);

export const hour = (iso) => iso.slice(11, 16);
