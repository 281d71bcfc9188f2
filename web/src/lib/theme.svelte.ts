/**
 * Light/dark theme. By default the app follows the system (CSS `prefers-color-scheme`, no JS needed);
 * a user's explicit choice is set as `data-theme` on <html> and remembered in localStorage.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_STORAGE_KEY = 'rsm.theme';

function read(): ThemeChoice {
	try {
		const value = localStorage.getItem(THEME_STORAGE_KEY);
		return value === 'light' || value === 'dark' ? value : 'system';
	} catch {
		return 'system';
	}
}

function apply(choice: ThemeChoice) {
	const root = document.documentElement;
	if (choice === 'system') delete root.dataset.theme;
	else root.dataset.theme = choice;
}

class Theme {
	choice = $state<ThemeChoice>('system');

	/** Apply the remembered choice; call once at start-up. */
	init() {
		this.choice = read();
		apply(this.choice);
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		try {
			if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
			else localStorage.setItem(THEME_STORAGE_KEY, choice);
		} catch {
			// not remembered; applies to this page
		}
		apply(choice);
	}
}

export const theme = new Theme();
