package data

import (
	"cmp"
	"maps"
	"slices"
)

// ConsentImportLocations are the locations whose children's consent the
// matched changes record, in the order of the changes, each once: the
// importer must be allowed to record consent at each.
func ConsentImportLocations(changes []ConsentChange, children []Child) []ID {
	locationOf := make(map[ID]ID, len(children))
	for _, c := range children {
		locationOf[c.ID] = c.LocationID
	}
	var out []ID
	for _, c := range changes {
		if location, ok := locationOf[c.ChildID]; ok && !slices.Contains(out, location) {
			out = append(out, location)
		}
	}
	return out
}

// ConsentImportProblems is the refusal of a consent file: an *ImportError
// with the lines that did not parse and those that matched no child, by
// line; nil without any.
func ConsentImportProblems(parsed, matched []LineError) error {
	problems := append(slices.Clone(parsed), matched...)
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b LineError) int { return cmp.Compare(a.Line, b.Line) })
	return &ImportError{Lines: problems}
}

// RecordConsentImport records the matched changes of a consent file through
// record, given the children's histories so far: a change the history holds
// already (the file imported before, or a line twice in it) is counted
// unchanged, any other is checked (Validate) first.
func RecordConsentImport(changes []ConsentChange, histories map[ID][]ConsentChange, today Date, record func(ConsentChange) error) (ConsentImportResult, error) {
	var result ConsentImportResult
	histories = maps.Clone(histories)
	for _, c := range changes {
		if ConsentRecorded(histories[c.ChildID], c) {
			result.Unchanged++
			continue
		}
		if err := c.Validate(today); err != nil {
			return ConsentImportResult{}, err
		}
		if err := record(c); err != nil {
			return ConsentImportResult{}, err
		}
		histories[c.ChildID] = append(histories[c.ChildID], c)
		result.Imported++
	}
	return result, nil
}

// Changes are the change-feed entries of the import: consent, when it
// recorded any answer.
func (r ConsentImportResult) Changes() []Change {
	if r.Imported == 0 {
		return nil
	}
	return []Change{{Kind: ChangeConsent}}
}
