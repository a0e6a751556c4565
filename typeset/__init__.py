"""typeset: a dev tool that sets the committed sample compendium again in other
layouts (page sizes, columns, notes, contents, numbering), each PDF with a truth
file that describes it exactly, so that the pipeline can be scored on layouts it
was not written against. `make variants` renders them, `make variants-score`
extracts and scores them; see the README."""
