# wslog export --format parquet: reads wslog's CSV export on stdin and writes it to the
# Parquet file named by the first argument, with Apache Arrow (pyarrow, pinned in
# tools/ci/requirements.txt). wslog embeds this file and runs it with --python (default
# python3), piping the CSV in; batches stream through, so memory does not grow with the log.
#
# Columns: partition int32, offset int64, id string, ts int64 (epoch ms, as logged),
# time timestamp[ms, UTC], project, node, conn, type strings, data string (JSON text).
import sys

try:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
except ImportError as missing:
    sys.stderr.write(
        "wslog: --format parquet needs Apache Arrow for Python (%s): install it with "
        "`pip install pyarrow` (tools/ci/requirements.txt names the tested version), or "
        "name a python that has it with --python\n" % missing
    )
    sys.exit(3)

SCHEMA = pa.schema(
    [
        ("partition", pa.int32()),
        ("offset", pa.int64()),
        ("id", pa.string()),
        ("ts", pa.int64()),
        ("time", pa.timestamp("ms", tz="UTC")),
        ("project", pa.string()),
        ("node", pa.string()),
        ("conn", pa.string()),
        ("type", pa.string()),
        ("data", pa.string()),
    ]
)


def main():
    out = sys.argv[1]
    reader = pacsv.open_csv(
        sys.stdin.buffer,
        read_options=pacsv.ReadOptions(block_size=1 << 22),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f.name: f.type for f in SCHEMA},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    rows = 0
    with pq.ParquetWriter(out, SCHEMA, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch.cast(SCHEMA) if batch.schema != SCHEMA else batch)
            rows += batch.num_rows
    sys.stderr.write("wslog: %d event(s) written to %s\n" % (rows, out))


if __name__ == "__main__":
    main()
