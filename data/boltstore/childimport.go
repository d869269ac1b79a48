package boltstore

// dutchDays are the short names the export writes.
var dutchDays = [...]string{"zo", "ma", "di", "wo", "do", "vr", "za"}
