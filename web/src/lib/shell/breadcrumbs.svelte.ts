/** The trail the shell shows above a page; each page sets its own (Dashboard is always first). */
export interface Crumb {
	label: string;
	href?: string;
}

class Breadcrumbs {
	trail = $state<Crumb[]>([]);
	set(trail: Crumb[]) {
		this.trail = trail;
	}
}

export const breadcrumbs = new Breadcrumbs();
