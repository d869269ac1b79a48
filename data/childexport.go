package data

// FormulaStarts are the first characters with which Excel reads a cell as a formula.
const FormulaStarts = "=+-@"
