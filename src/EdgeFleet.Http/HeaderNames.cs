namespace EdgeFleet.Http;

/// <summary>Field names the cache rules use.</summary>
public static class HeaderNames
{
    public const string Age = "Age";
    public const string Authorization = "Authorization";
    public const string CacheControl = "Cache-Control";
    public const string CacheStatus = "Cache-Status";
    public const string CdnCacheControl = "CDN-Cache-Control";
    public const string Connection = "Connection";
    public const string ContentLength = "Content-Length";
    public const string ContentLocation = "Content-Location";
    public const string ContentRange = "Content-Range";
    public const string ContentType = "Content-Type";
    public const string Date = "Date";
    public const string ETag = "ETag";
    public const string Expires = "Expires";
    public const string IfMatch = "If-Match";
    public const string IfModifiedSince = "If-Modified-Since";
    public const string IfNoneMatch = "If-None-Match";
    public const string IfRange = "If-Range";
    public const string IfUnmodifiedSince = "If-Unmodified-Since";
    public const string LastModified = "Last-Modified";
    public const string Location = "Location";
    public const string Pragma = "Pragma";
    public const string Range = "Range";
    public const string SurrogateKey = "Surrogate-Key";
    public const string SurrogateControl = "Surrogate-Control";
    public const string TransferEncoding = "Transfer-Encoding";
    public const string Vary = "Vary";
    public const string Via = "Via";
}
