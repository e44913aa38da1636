using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Dispatch.Server.Persistence;

/// <summary>
/// One EF model per personal-data converter: the model holds it, and EF otherwise caches one model per context type for the
/// whole process (two servers in one process, as in the tests, would then encrypt with the first one's keys).
/// </summary>
internal sealed class PersonalDataModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), designTime, (context as DispatchDbContext)?.PersonalConverter);
}
