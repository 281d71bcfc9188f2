/**
 * chart.js, loaded on first use: the dashboard's reports are the only charts, so the library stays out
 * of the first-load bundle (bench/ "first load" budget) and only the pieces bar charts need are registered.
 */
import type { Chart as ChartType } from 'chart.js';

let loading: Promise<typeof ChartType> | null = null;

export function loadChart(): Promise<typeof ChartType> {
	loading ??= import('chart.js').then(({ Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip }) => {
		Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
		return Chart;
	});
	return loading;
}

/** A design token's current value (light or dark theme), for the canvas, which cannot read CSS variables. */
export function token(name: string): string {
	return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
