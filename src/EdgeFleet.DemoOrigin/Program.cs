using System.Globalization;
using EdgeFleet.DemoOrigin;
using EdgeFleet.Http;

// A small origin for `make run`: a few images, an audio file and a video, with the caching
// headers a real origin would send (max-age, ETag, Last-Modified, Surrogate-Key), answering
// conditional requests so that revalidation can be seen.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
var started = DateTimeOffset.UtcNow.AddHours(-1);
var lastModified = HttpDate.Format(new DateTimeOffset(started.Year, started.Month, started.Day, started.Hour, started.Minute, started.Second, TimeSpan.Zero));
var content = DemoContent.Create().ToDictionary(c => c.Path);
var hits = 0L;

app.MapGet("/", () => Results.Content(
    "EdgeFleet demo origin\n" + string.Join("\n", content.Keys.Order()) + "\n",
    "text/plain"));

app.MapGet("/stats", () => Results.Json(new { originRequests = Interlocked.Read(ref hits) }));

// Notes: small text objects that can be changed (PUT a body, optional ?tags=a+b), so that an
// invalidation or a pushed UPDATE can be seen. Fresh for an hour, like the images. With
// ?validators=none a note is served without ETag, as some origins do.
var notes = new System.Collections.Concurrent.ConcurrentDictionary<string, DemoNote>(StringComparer.Ordinal);
app.MapPut("/notes/{**name}", async (HttpContext context, string name) =>
{
    using var buffer = new MemoryStream();
    await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
    var note = DemoNote.Create(buffer.ToArray(), context.Request.Query["tags"].ToString(), context.Request.Query["validators"] != "none");
    notes["/notes/" + name] = note;
    return Results.Text((note.ETag ?? "-") + "\n");
});

app.MapMethods("/{**path}", ["GET", "HEAD"], (HttpContext context, string path) =>
{
    Interlocked.Increment(ref hits);
    if (notes.TryGetValue("/" + path, out var note))
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        if (note.ETag is not null)
        {
            context.Response.Headers.ETag = note.ETag;
        }

        context.Response.Headers["Surrogate-Key"] = note.Tags;
        return note.ETag is not null && context.Request.Headers.IfNoneMatch.ToString() == note.ETag
            ? Results.StatusCode(304)
            : Results.Bytes(note.Body, "text/plain; charset=utf-8");
    }

    if (!content.TryGetValue("/" + path, out var item))
    {
        return Results.NotFound();
    }

    var headers = context.Response.Headers;
    headers.CacheControl = item.CacheControl;
    if (item.Path == "/api/time")
    {
        return Results.Json(new { now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
    }

    headers.ETag = item.ETag;
    headers.LastModified = lastModified;
    if (item.SurrogateKeys.Length > 0)
    {
        headers["Surrogate-Key"] = item.SurrogateKeys;
    }

    if (context.Request.Headers.IfNoneMatch.ToString() == item.ETag)
    {
        return Results.StatusCode(304);
    }

    return Results.Bytes(item.Body, item.ContentType);
});

await app.RunAsync();
