package data

// ImportAction says what an import does to a child or a contract.
type ImportAction string

// The actions of an import plan.
const (
	ImportCreate    ImportAction = "create"    // a new child or contract
	ImportChange    ImportAction = "change"    // the child's details, or a contract from its first day on
	ImportVersion   ImportAction = "version"   // a new contract version from a date (M2)
	ImportEnd       ImportAction = "end"       // the contract ends
	ImportUnchanged ImportAction = "unchanged" // the file says what the store holds
)

// ChildImportPlan is what an import will do, child by child: the preview.
// Children of the store whose number is not in the file are left as they
// are, and so is a contract of a child that no line of the file names.
type ChildImportPlan struct {
	Children []ChildPlan
	// NewSchools are schools the file names that the store has not; the
	// import adds them (their holidays are imported apart).
	NewSchools []string
	// Problems are the bad lines; with any, nothing is imported.
	Problems []LineError
}

// ChildPlan is what the import does to one child.
type ChildPlan struct {
	Line   int // the first line of the child in the file
	Number string
	Child  Child // as it will be stored; ID 0 for a new child
	Action ImportAction
	// Changed names the columns whose value changes (ColFirstName, ColSchool, ColParentName, …).
	Changed   []string
	Contracts []ContractPlan // only the contracts that change
	Stored    Child
	NewSchool string
}

// ContractPlan is one change of a contract.
type ContractPlan struct {
	Line   int
	Action ImportAction
	Old    Contract // the contract as stored; zero for a new one
	// New is the contract as it will be: for ImportVersion the new version,
	// starting on the day Old ends after.
	New Contract
	// ContinuesPlan is 1 + the index of the plan whose new contract this
	// one continues, when both are made by the same import (IDs to come).
	ContinuesPlan int
}

// ImportCounts sums a plan up.
type ImportCounts struct {
	ChildrenCreated, ChildrenChanged, ChildrenUnchanged int
	ContractsCreated, ContractsChanged, ContractsEnded  int
	SchoolsCreated                                      int
}

// Counts sums the plan up; ContractsChanged counts new versions and changes.
func (p ChildImportPlan) Counts() ImportCounts {
	var n ImportCounts
	for _, c := range p.Children {
		switch c.Action {
		case ImportCreate:
			n.ChildrenCreated++
		case ImportChange:
			n.ChildrenChanged++
		default:
			n.ChildrenUnchanged++
		}
		for _, k := range c.Contracts {
			switch k.Action {
			case ImportCreate:
				n.ContractsCreated++
			case ImportEnd:
				n.ContractsEnded++
			default:
				n.ContractsChanged++
			}
		}
	}
	n.SchoolsCreated = len(p.NewSchools)
	return n
}

// HasChanges reports whether importing the plan writes anything.
func (p ChildImportPlan) HasChanges() bool {
	n := p.Counts()
	return n.ChildrenCreated+n.ChildrenChanged+n.ContractsCreated+n.ContractsChanged+n.ContractsEnded+n.SchoolsCreated > 0
}
