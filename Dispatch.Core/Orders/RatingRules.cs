namespace Dispatch.Core.Orders;

/// <summary>The customer's rating of a delivered order: 1–5 stars and an optional comment, once per order. Pure.</summary>
public static class RatingRules
{
    public const int MaxCommentLength = 500;

    /// <summary>Prefix of the order_events note that records a rating.</summary>
    public const string NotePrefix = "rated ";

    /// <summary>Null when the rating may be stored, else why not.</summary>
    public static string? Check(string orderNumber, OrderStatus status, bool alreadyRated, int stars, string? comment)
    {
        if (status != OrderStatus.Delivered) return $"Order {orderNumber} is {status}; you can rate it once it has been delivered.";
        if (alreadyRated) return $"Order {orderNumber} has already been rated; a rating is given once.";
        if (stars is < 1 or > 5) return $"Give 1 to 5 stars; got {stars}.";
        if (comment is { Length: > MaxCommentLength }) return $"The comment must be at most {MaxCommentLength} characters; it has {comment.Length}.";
        return null;
    }

    public static string Note(int stars) => $"{NotePrefix}{stars}/5";
}
