// A minimal inlang plugin: messages/{locale}.json holds flat { "key": "Text with {param}" } pairs.
// WHY local: the official @inlang/plugin-message-format is loaded from a CDN at build time, and
// builds here must work offline. This file is imported from a data: URL by the inlang SDK, so it
// must stay self-contained (no imports).

/** "Hello {name}!" → inlang pattern parts; "{{" and "}}" stand for literal braces. */
function parsePattern(text) {
	const parts = [];
	const names = [];
	const re = /\{\{|\}\}|\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;
	let last = 0;
	let buffer = '';
	for (let match = re.exec(text); match; match = re.exec(text)) {
		buffer += text.slice(last, match.index);
		last = re.lastIndex;
		if (match[0] === '{{') buffer += '{';
		else if (match[0] === '}}') buffer += '}';
		else {
			if (buffer) parts.push({ type: 'text', value: buffer });
			buffer = '';
			parts.push({ type: 'expression', arg: { type: 'variable-reference', name: match[1] } });
			if (!names.includes(match[1])) names.push(match[1]);
		}
	}
	buffer += text.slice(last);
	if (buffer) parts.push({ type: 'text', value: buffer });
	return { parts, names };
}

export default {
	key: 'rsm-flat-json',
	toBeImportedFiles: ({ settings }) =>
		settings.locales.map((locale) => ({
			locale,
			path: settings['rsm-flat-json'].pathPattern.replace('{locale}', locale)
		})),
	importFiles: ({ files }) => {
		const bundles = [];
		const messages = [];
		const variants = [];
		const seen = new Map();
		for (const file of files) {
			const json = JSON.parse(new TextDecoder().decode(file.content));
			for (const [key, value] of Object.entries(json)) {
				if (key.startsWith('$')) continue; // "$schema" and comments
				const { parts, names } = parsePattern(String(value));
				let bundle = seen.get(key);
				if (!bundle) {
					bundle = { id: key, declarations: [] };
					seen.set(key, bundle);
					bundles.push(bundle);
				}
				for (const name of names) {
					if (!bundle.declarations.some((d) => d.name === name)) bundle.declarations.push({ type: 'input-variable', name });
				}
				messages.push({ bundleId: key, locale: file.locale, selectors: [] });
				variants.push({ messageBundleId: key, messageLocale: file.locale, matches: [], pattern: parts });
			}
		}
		return { bundles, messages, variants };
	}
};
