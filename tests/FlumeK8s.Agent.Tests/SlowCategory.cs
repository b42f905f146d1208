// Every test here runs the real agent process (and kills it, fills disks, waits for reloads):
// `./test.sh --filter "Category!=Slow"` leaves them out for a quick run.
[assembly: AssemblyTrait("Category", "Slow")]
