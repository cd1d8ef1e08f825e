namespace EdgeFleet.Kubectl;

/// <summary>Columns aligned with three spaces between them, as kubectl prints tables.</summary>
internal sealed class TableWriter
{
    private readonly List<string[]> _rows = [];

    public TableWriter(params string[] headers)
    {
        _rows.Add(headers);
    }

    public int RowCount => _rows.Count - 1;

    public void Add(params string[] cells)
    {
        if (cells.Length != _rows[0].Length)
        {
            throw new ArgumentException($"a row needs {_rows[0].Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = Enumerable.Range(0, _rows[0].Length).Select(i => _rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in _rows)
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 3));
            writer.WriteLine(string.Concat(cells).TrimEnd());
        }
    }
}
