package data

// RemovedChildFirstName is the first name a child keeps once its personal
// data are removed; the last name becomes "#<id>", so billing records still
// tell one removed child from another.
const RemovedChildFirstName = "Verwijderd kind"

// RetentionEnds is the last day a child's personal data are kept: Settings.RetentionMonths
// after the end of the child's last contract. ok is false while the child has
// no contract or one without an end: care has not ended, nothing is due.
func RetentionEnds(contracts []Contract, s Settings) (last Date, ok bool) {
	var end Date
	for _, c := range contracts {
		if c.End.IsZero() {
			return Date{}, false
		}
		if c.End.After(end) {
			end = c.End
		}
	}
	if end.IsZero() {
		return Date{}, false
	}
	return end.AddMonths(s.RetentionMonths), true
}

// AddMonths moves n months; a day the month lacks runs into the next (31 March + 1 month is 1 May).
func (d Date) AddMonths(n int) Date { return DateOf(d.Midnight().AddDate(0, n, 0)) }

// PurgeResult says what a purge removed.
type PurgeResult struct {
	// Children are the children whose personal data were removed now.
	Children []ID
	// Compacted is set when the removed data's old copies were cleared: the
	// file rewritten without its free pages (bbolt), or the changed tables
	// vacuumed (PostgreSQL).
	Compacted bool
}
